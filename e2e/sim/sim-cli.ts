// The simulator as a user starts it: `ffk sim start --detach` in its own state dir, the
// storefront's node port on a host port of the caller's choosing, `ffk sim stop` to end it.
// Started on the test's lifeline (test-kit's startProcess), the detached simulator still ends
// with the test process, however that ends.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startProcess } from '@ffk/test-kit';

const run = promisify(execFile);
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const ffk = join(repoRoot, 'packages/cli/bin/ffk.mjs');

export interface CliSim {
  dir: string;
  kubeconfig: string;
  /** The simulator's own process. */
  pid: number;
  /** A plain function: callers pass it around. */
  kubectl: (...args: string[]) => Promise<string>;
  /** `ffk sim stop`, then removes the state dir. */
  stop(): Promise<void>;
}

export async function startCliSim(storefrontPort: number): Promise<CliSim> {
  const dir = mkdtempSync(join(tmpdir(), 'ffk-sim-e2e-'));
  const env = { ...process.env, FFK_SIM_DIR: dir, KUBE_SIM_NODE_PORTS: `30080=${storefrontPort}` };
  const ffkCommand = (...args: string[]) => run(process.execPath, [ffk, ...args], { env, cwd: repoRoot, encoding: 'utf8' });
  const started = await startProcess(process.execPath, [ffk, 'sim', 'start', '--detach'], { env, cwd: repoRoot }).exited;
  const pid = Number(/\(pid (\d+)/.exec(started.stdout)?.[1]);
  if (!pid) throw new Error(`ffk sim start --detach said: ${started.stdout}${started.stderr}`);
  const kubeconfig = join(dir, 'kubeconfig');
  let stopped = false;
  return {
    dir,
    kubeconfig,
    pid,
    kubectl: async (...args) =>
      (await run('kubectl', ['--kubeconfig', kubeconfig, ...args], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })).stdout,
    async stop() {
      if (stopped) return;
      stopped = true;
      await ffkCommand('sim', 'stop');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
