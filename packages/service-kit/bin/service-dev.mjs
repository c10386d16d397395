#!/usr/bin/env node
// `service-dev src/main.ts` (the runner is ../src/dev/watch.ts). V8's compile cache goes on before
// the runner loads: then the runner's TypeScript, and every run's (through NODE_COMPILE_CACHE),
// comes from the cache, and Node's type stripper (~170 ms to load) is needed only for changed files.
import nodeModule from 'node:module';

nodeModule.enableCompileCache();
await import('../src/dev/watch.ts');
