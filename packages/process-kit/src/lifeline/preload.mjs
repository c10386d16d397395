// `--import`ed into Node programs started with a lifeline (pods, dev services, `ffk`): they end,
// with their process group, once the process that started them is gone.
import { endProcessGroup, watchLifeline } from './watch.mjs';

watchLifeline(endProcessGroup);
