#!/usr/bin/env node
// `ffk` from the repository: the TypeScript sources through tsx (the installable package runs
// the bundle dist/ffk.mjs instead, see build-cli.ts).
import './require-node.mjs';
// V8's compiled code on disk (NODE_COMPILE_CACHE, else the OS temp dir), checked per file: client-node's
// ~900 modules compile once, not on every command (~0.15 s).
const { enableCompileCache } = await import('node:module');
enableCompileCache();
// Started on a lifeline (by a test, say), ffk ends with whatever started it, even when that is SIGKILLed.
const { endProcessGroup, watchLifeline } = await import('@ffk/process-kit/lifeline');
watchLifeline(endProcessGroup);
const simOnly = process.argv[2] === 'sim';
// client-node is plain JavaScript of some 900 modules: loaded before tsx's hooks exist, it skips
// them (the same module instance is reused later), which starts every command ~0.6 s sooner.
// `ffk sim …` does not use it, and runs a program with only the sim commands.
if (!simOnly) await import('@kubernetes/client-node');
const { register } = await import('tsx/esm/api');
register();
await import(simOnly ? '../src/sim/bin.ts' : '../src/bin.ts');
