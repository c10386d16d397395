#!/usr/bin/env node
// The installed `ffk` (build-cli.ts makes it dist/ffk.mjs): V8's compiled code for the bundle is
// kept on disk (NODE_COMPILE_CACHE, else the OS temp dir) before the bundle loads, so after the
// first run a command compiles almost nothing.
import './require-node.mjs';
// The default export, not a named import: an older Node that lacks enableCompileCache must still
// link this module, so that require-node.mjs gets to say which Node ffk needs.
import nodeModule from 'node:module';

nodeModule.enableCompileCache();
await import('./ffk-cli.mjs');
