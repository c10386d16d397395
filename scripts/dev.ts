// `npm run dev`: the storefront and its two services on this machine (see packages/local-stack).
import { runDev } from '@ffk/local-stack';

await runDev();
