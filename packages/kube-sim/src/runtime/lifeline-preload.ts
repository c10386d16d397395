// `--import`ed into every Node container next to the network preload.
import { terminateSelf, watchLifeline } from './lifeline';

watchLifeline(terminateSelf);
