// What `ffk intercept catalog` needs end to end on kube-sim, shared by the e2e test and the
// benchmark: the kit's manifests rolled out, a storefront read through its NodePort, the
// `ffk` bin as a user runs it, and a local catalog under its `npm run dev` watcher whose banner
// can be edited.
import type { ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnWithLifeline } from '@ffk/process-kit';
import { defined, freePort } from '@ffk/test-kit';
import { parseStorefront, type StorefrontView } from '../../labs/shared/storefront';
import { type CliSim, repoRoot, startCliSim } from '../sim/sim-cli';

export { repoRoot };
const FFK_BIN = join(repoRoot, 'packages/cli/bin/ffk.mjs');
const DEPLOYMENTS = ['postgres', 'inventory', 'catalog', 'web'];

/** A cluster with the kit deployed: kube-sim here, k3s where Docker runs. */
export interface Kit {
  kubeconfig: string;
  kubectl(...args: string[]): Promise<string>;
  storefront: string;
  /** FFK_STATE_DIR of the `ffk` processes (their local intercept records) */
  stateDir: string;
  stop(): Promise<void>;
}

/** `ffk sim start --detach` with the storefront's NodePort on a free host port, `kubectl apply -k k8s/overlays/sim`, every rollout done. */
export async function startKit(): Promise<Kit & { sim: CliSim }> {
  const port = await freePort();
  const sim = await startCliSim(port);
  const stateDir = mkdtempSync(join(tmpdir(), 'ffk-e2e-state-'));
  try {
    await deployKit(sim.kubectl, 'k8s/overlays/sim');
  } catch (error) {
    await sim.stop();
    throw error;
  }
  return {
    sim,
    kubeconfig: sim.kubeconfig,
    kubectl: sim.kubectl,
    storefront: `http://127.0.0.1:${port}/`,
    stateDir,
    async stop() {
      await sim.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** `kubectl apply -k <overlay>`, then every Deployment of the kit rolled out. */
export async function deployKit(kubectl: Kit['kubectl'], overlay: string): Promise<void> {
  await kubectl('apply', '-k', overlay);
  for (const name of DEPLOYMENTS) await kubectl('rollout', 'status', `deployment/${name}`, '--timeout=180s');
}

/**
 * The storefront page as a visitor gets it; `user` sets the "preview as" cookie (personal
 * intercepts), `headers` are sent as they are (e.g. x-ffk-user from a script).
 */
export async function viewStorefront(kit: Kit, user?: string, headers: Record<string, string> = {}): Promise<StorefrontView> {
  const response = await fetch(kit.storefront, {
    headers: { ...headers, ...(user ? { cookie: `ffk-user=${user}` } : {}) },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`the storefront answered HTTP ${response.status}`);
  return parseStorefront(await response.text());
}

export const isLocal = (servedBy: string | null) => servedBy?.startsWith('local (') ?? false;

/** Polls the storefront (every 20 ms) until `ready` holds; every view seen is kept for the caller to judge. */
export async function waitForStorefront(
  kit: Kit,
  ready: (view: StorefrontView) => boolean,
  options: { timeoutMs?: number; user?: string; seen?: StorefrontView[] } = {},
): Promise<StorefrontView> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last: string;
  for (;;) {
    try {
      const view = await viewStorefront(kit, options.user);
      options.seen?.push(view);
      if (ready(view)) return view;
      last = JSON.stringify({ banner: view.banner, servedBy: view.servedBy });
    } catch (error) {
      last = String((error as Error).cause ?? error);
    }
    if (Date.now() > deadline) throw new Error(`the storefront did not get there within ${options.timeoutMs ?? 30_000} ms; last seen: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface Ffk {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** resolves once the output matches */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGKILL to the whole process group (the CLI and what it started), for cleanup */
  killAll(): void;
}

/** Which `ffk` runs, from where: by default the repository's bin (sources through tsx). */
export interface FfkInstall {
  /** an executable `ffk` (e.g. node_modules/.bin/ffk of an install from the packed tarball) */
  bin?: string;
  cwd?: string;
}

/**
 * The `ffk` bin against the kit's cluster. It leads its own process group so that cleanup can
 * reach the local command it started, even after the CLI itself was killed; on the test's
 * lifeline, it ends with that group when the test process does.
 */
export function ffk(kit: Kit, args: string[], env: Record<string, string> = {}, install: FfkInstall = {}): Ffk {
  const [command, ...prefix] = install.bin ? [install.bin] : [process.execPath, FFK_BIN];
  const child = spawnWithLifeline(command, [...prefix, ...args], {
    cwd: install.cwd ?? repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, KUBECONFIG: kit.kubeconfig, FFK_STATE_DIR: kit.stateDir, LOG_LEVEL: 'warn', ...env },
    onLost: 'watches',
  });
  let output = '';
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    waiters.forEach((check) => check());
  };
  defined(child.stdout, 'the stdout pipe of ffk').on('data', collect);
  defined(child.stderr, 'the stderr pipe of ffk').on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    waitFor: (pattern, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`ffk ${args[0]} did not print ${pattern} within ${timeoutMs} ms:\n${output}`)), timeoutMs);
        const done = (error?: Error) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve();
        };
        const check = () => {
          if (pattern.test(output)) done();
          else if (child.exitCode !== null || child.signalCode !== null)
            done(new Error(`ffk ${args[0]} exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}:\n${output}`));
        };
        waiters.add(check);
        void exited.then(check);
        check();
      }),
    killAll() {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is gone already
      }
    },
  };
}

/** `ffk <args>` to its end: exit code and output. */
export async function ffkDone(kit: Kit, args: string[], install: FfkInstall = {}): Promise<{ code: number | null; output: string }> {
  const run = ffk(kit, args, {}, install);
  return { code: await run.exited, output: run.output() };
}

export interface LocalCatalog {
  port: number;
  /** the command after `ffk intercept … --`: the catalog's own sources under its dev watcher */
  command: string[];
  /** the banner file the watcher sees, in the copy */
  bannerFile: string;
  /** edits the copy's banner text, as a developer saves the file */
  setBanner(text: string): void;
  remove(): void;
}

/**
 * The catalog's `npm run dev` (its package.json script, e.g. `service-dev src/main.ts`) for the copy
 * in `dir`, without npm: the bin from the repo's node_modules/.bin run by this Node, file
 * arguments pointed into the copy.
 */
function devCommand(dir: string): string[] {
  const script = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: { dev: string } }).scripts.dev;
  const [bin, ...args] = script.split(/\s+/);
  return [process.execPath, realpathSync(join(repoRoot, 'node_modules/.bin', bin)), ...args.map((arg) => (existsSync(join(dir, arg)) ? join(dir, arg) : arg))];
}

/**
 * apps/catalog's sources, copied into a temporary directory (node_modules linked to the repo's),
 * so banner edits never touch the repository's apps/catalog/src/banner.ts, not even when a test
 * dies half-way. The copy runs exactly as `npm run dev -w @ffk/catalog` runs the original, or
 * under plain `tsx watch`, the watcher most TypeScript developers bring.
 */
export async function localCatalog(watcher: 'npm run dev' | 'tsx watch' = 'npm run dev'): Promise<LocalCatalog> {
  const dir = mkdtempSync(join(tmpdir(), 'ffk-e2e-catalog-'));
  const source = join(repoRoot, 'apps/catalog');
  cpSync(join(source, 'src'), join(dir, 'src'), { recursive: true, filter: (file) => !file.endsWith('.test.ts') });
  cpSync(join(source, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  const bannerFile = join(dir, 'src/banner.ts');
  const original = readFileSync(bannerFile, 'utf8');
  return {
    port: await freePort(),
    command: watcher === 'tsx watch' ? [process.execPath, join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), 'watch', join(dir, 'src/main.ts')] : devCommand(dir),
    bannerFile,
    setBanner(text) {
      const edited = original.replace(/\btext:\s*'[^']*'/, `text: ${JSON.stringify(text)}`);
      if (edited === original) throw new Error(`no \`text: '…'\` in ${bannerFile}`);
      writeFileSync(bannerFile, edited);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** `kubectl get <kind> <name> -o json`, as the shape the caller reads (a client-node type such as V1Deployment). */
export async function getObject<T>(kit: Pick<Kit, 'kubectl'>, kind: string, name: string): Promise<T> {
  return JSON.parse(await kit.kubectl('get', kind, name, '-o', 'json')) as T;
}

/** A Deployment or Service as `kubectl get -o json` prints it, minus what the server manages (versions, status, rollout revision). */
export async function desiredState(kit: Kit, kind: 'deployment' | 'service', name: string): Promise<Record<string, unknown>> {
  const object = await getObject<{ metadata: Record<string, unknown> & { annotations?: Record<string, string> }; status?: unknown }>(kit, kind, name);
  const { resourceVersion: _rv, generation: _gen, managedFields: _mf, ...metadata } = object.metadata;
  const annotations = { ...metadata.annotations };
  delete annotations['deployment.kubernetes.io/revision'];
  delete object.status;
  return { ...object, metadata: { ...metadata, annotations } };
}
