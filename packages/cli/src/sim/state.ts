// Where `ffk sim` keeps its state: <repository root>/.ffk/sim (git-ignored), or $FFK_SIM_DIR.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isRecordedProcess, type ProcessRef } from '../cli-kit/process-alive';

export interface SimState {
  dir: string;
  kubeconfig: string;
  pidFile: string;
  serverFile: string;
  logFile: string;
}

function repositoryRoot(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return resolve(from);
  }
}

export function simState(env = process.env, cwd = process.cwd()): SimState {
  const dir = env.FFK_SIM_DIR ? resolve(env.FFK_SIM_DIR) : join(repositoryRoot(cwd), '.ffk', 'sim');
  return {
    dir,
    kubeconfig: join(dir, 'kubeconfig'),
    pidFile: join(dir, 'sim.pid'),
    serverFile: join(dir, 'server.json'),
    logFile: join(dir, 'sim.log'),
  };
}

export interface RunningServer extends ProcessRef {
  url: string;
  kubeconfig: string;
}

/** The simulator this state dir belongs to, if its process (that very one, not a reused pid) still runs. */
export function runningServer(state: SimState): RunningServer | undefined {
  try {
    const server = JSON.parse(readFileSync(state.serverFile, 'utf8')) as RunningServer;
    if (isRecordedProcess(server)) return server;
  } catch {
    // No server file: not running.
  }
  return undefined;
}

export function recordServer(state: SimState, server: RunningServer): void {
  writeFileSync(state.pidFile, `${server.pid}\n`);
  writeFileSync(state.serverFile, JSON.stringify(server));
}

export function clearServer(state: SimState): void {
  rmSync(state.pidFile, { force: true });
  rmSync(state.serverFile, { force: true });
}
