// `--import`ed into every Node container next to the network preload.
import { killContainer, watchLifeline } from './lifeline';

watchLifeline(killContainer);
