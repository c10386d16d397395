#!/usr/bin/env node
// `service-dev src/main.ts`: runs a service and restarts it when one of its source files changes,
// like `tsx watch`, minus what made a restart take ~650 ms:
// - Node 24 strips the types itself (./child-hooks.ts), no esbuild and no loader worker thread;
// - a 25 ms quiet period after the last file event instead of 100 ms;
// - a standby process that has already started Node and loaded the service's packages (express,
//   pg, pino, …) waits for the next restart, so only our own files load after a save.
// Every restart is still a new process: nothing of the previous run's state survives.
import { type ChildProcess, spawn } from 'node:child_process';
import { type FSWatcher, watch } from 'node:fs';
import { getCompileCacheDir } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ChildMessage, STANDBY_ENV } from './protocol.ts';

const QUIET_MS = 25; // an editor's save is a few file events in a row: restart once, after the last
const STANDBY_DELAY_MS = 150; // let the restarted service have the CPU first

const [entryArg, ...args] = process.argv.slice(2);
if (!entryArg || entryArg.startsWith('-')) {
  process.stderr.write('usage: service-dev <entry.ts> [args…]  (restarts the entry when a file it loaded changes)\n');
  process.exit(2);
}
const entry = resolve(entryArg);
const hooks = fileURLToPath(new URL('./child-hooks.ts', import.meta.url));
const say = (line: string) => process.stderr.write(`[service-dev] ${line}\n`);

// The runner's compile cache (../../bin/service-dev.mjs) for every run from its first line on:
// ./child-hooks.ts and unchanged sources then load without Node's type stripper.
const cacheDir = getCompileCacheDir();
const compileCacheEnv = cacheDir && !process.env.NODE_COMPILE_CACHE ? { NODE_COMPILE_CACHE: cacheDir } : {};

const sources = new Set<string>([entry]);
const packages = new Set<string>();
const watchers = new Map<string, FSWatcher>();
const releases = new WeakMap<ChildProcess, Promise<void>>();
/** Earlier runs still finishing their requests after a restart: leaving waits for them too. */
const draining = new Set<ChildProcess>();
let active: ChildProcess | undefined;
let standby: ChildProcess | undefined;
let standbyTimer: NodeJS.Timeout | undefined;
let quietTimer: NodeJS.Timeout | undefined;
let changed: string | undefined;
let restarting = false;
let leaving = false;

function watchSource(file: string): void {
  sources.add(file);
  const dir = dirname(file);
  if (watchers.has(dir)) return;
  // Directories, not files: an editor that saves by renaming a new file over the old one replaces
  // the inode a file watch would be holding.
  const watcher = watch(dir, (_event, name) => {
    const path = name ? resolve(dir, name.toString()) : undefined;
    if (path && sources.has(path)) onChange(path);
  });
  watcher.on('error', () => watchers.delete(dir));
  watchers.set(dir, watcher);
}

function start(preload?: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', hooks, entry, ...args], {
    // Its own process group: Ctrl-C in a terminal reaches only this runner, which passes it on
    // once (twice would make a service give up its graceful stop). If this runner dies, the
    // service stops itself when the IPC channel closes (./child-hooks.ts).
    detached: true,
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...compileCacheEnv, ...(preload ? { [STANDBY_ENV]: JSON.stringify(preload) } : {}) },
  });
  releases.set(child, new Promise((resolve) => child.on('message', (message: ChildMessage) => message.type === 'released' && resolve())));
  child.on('message', (message: ChildMessage) => {
    if (message.type === 'source') watchSource(fileURLToPath(message.url));
    else if (message.type === 'package' && !packages.has(message.url)) {
      packages.add(message.url);
      // A cold start still naming its imports: the standby should load this one too.
      if (standby && child !== standby) {
        standby.kill('SIGKILL');
        standby = undefined;
        prepareStandby();
      }
    }
  });
  return child;
}

function exited(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? 1);
  return new Promise((done) => child.once('exit', (code) => done(code ?? 1)));
}

function prepareStandby(): void {
  clearTimeout(standbyTimer);
  standbyTimer = setTimeout(() => {
    if (!leaving && !standby) standby = start([...packages]);
  }, STANDBY_DELAY_MS);
}

/** The standby becomes the service (or, if there is none yet, a fresh process does). Says which. */
function run(): 'standby' | 'new process' {
  const next = standby?.connected ? standby : undefined;
  standby = undefined;
  next?.send({ type: 'go' });
  active = next ?? start();
  const current = active;
  void exited(current).then((code) => {
    if (current === active && !restarting && !leaving) say(`${relative(process.cwd(), entry)} exited with code ${code}; waiting for a change`);
  });
  prepareStandby();
  return next ? 'standby' : 'new process';
}

async function restart(): Promise<void> {
  restarting = true;
  const cause = changed ? relative(process.cwd(), changed) : 'a file';
  const stopping = performance.now();
  if (active && active.exitCode === null && active.signalCode === null) {
    active.kill('SIGTERM'); // the service's graceful shutdown: in-flight requests finish first
    const previous = active;
    draining.add(previous);
    void exited(previous).then(() => draining.delete(previous));
    // A service built on runService says when its port is free; it then drains (in-flight requests,
    // pool.end(), process exit) while the next run starts. Anything else: wait for its exit.
    await Promise.race([exited(active), releases.get(active)]);
  }
  const stopMs = Math.round(performance.now() - stopping);
  restarting = false;
  if (leaving) return;
  const by = run();
  say(
    `${cause} changed: restarted (the previous run freed the port in ${stopMs} ms; the ${by === 'standby' ? 'warm standby took over' : 'new process starts cold'})`,
  );
}

function onChange(path: string): void {
  changed = path;
  clearTimeout(quietTimer);
  quietTimer = setTimeout(() => {
    if (restarting) return onChange(path); // a save during a restart: restart again after it
    void restart();
  }, QUIET_MS);
}

async function leave(signal: NodeJS.Signals): Promise<void> {
  if (leaving) return;
  leaving = true;
  clearTimeout(quietTimer);
  clearTimeout(standbyTimer);
  standby?.kill('SIGKILL');
  watchers.forEach((watcher) => watcher.close());
  if (!active) process.exit(0);
  if (active.exitCode === null && active.signalCode === null) active.kill(signal);
  const code = await exited(active);
  // Our exit closes their IPC channel, which they take as a second stop signal (./child-hooks.ts).
  await Promise.all([...draining].map(exited));
  process.exit(code);
}

process.on('SIGINT', () => void leave('SIGINT'));
process.on('SIGTERM', () => void leave('SIGTERM'));
watchSource(entry);
run();
