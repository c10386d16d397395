#!/usr/bin/env node
// The installed `ffk` (build-cli.ts makes it dist/ffk.mjs): V8's compiled code for the bundle is
// kept on disk (NODE_COMPILE_CACHE, else the OS temp dir) before the bundle loads, so after the
// first run a command compiles almost nothing.
import './require-node.mjs';
import { enableCompileCache } from 'node:module';

enableCompileCache();
await import('./ffk-cli.mjs');
