// No container outlives its simulator, not even a SIGKILLed one. The engine keeps running what
// the simulator started, so the simulator starts a small reaper process in its own session, tied
// to it by a lifeline (@ffk/process-kit): when the simulator exits in any way, the reaper removes
// every container labelled with the simulator's identity, then exits.
import { spawnWithLifeline } from '@ffk/process-kit';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { alive } from '../../network/addresses';
import type { DockerEngine } from './docker-engine';

export const REAPER_SOCKET_ENV = 'KUBE_SIM_REAPER_SOCKET';
export const REAPER_SIM_ENV = 'KUBE_SIM_REAPER_SIM';

const tsx = fileURLToPath(import.meta.resolve('tsx'));
const reaperMain = fileURLToPath(new URL('./reaper-main.ts', import.meta.url));

export interface Reaper {
  readonly pid: number | undefined;
  /** The simulator is done with its containers: the reaper sweeps and exits. */
  release(): void;
}

export function startReaper(socketPath: string, simId: string): Reaper {
  const child = spawnWithLifeline(process.execPath, ['--import', tsx, reaperMain], {
    stdio: 'ignore',
    detached: true, // its own session: a signal to the simulator's process group spares it
    env: { PATH: process.env.PATH ?? '', [REAPER_SOCKET_ENV]: socketPath, [REAPER_SIM_ENV]: simId },
    onLost: 'watches',
  });
  child.unref();
  return { pid: child.pid, release: () => (child.stdio[3] as Readable | null)?.destroy() };
}

interface ListedContainer {
  Id: string;
  Labels: Record<string, string>;
}

async function listContainers(engine: DockerEngine, label: string): Promise<ListedContainer[]> {
  return (await engine.call<ListedContainer[]>('GET', `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: [label] }))}`)).body;
}

async function removeAll(engine: DockerEngine, containers: ListedContainer[]): Promise<number> {
  await Promise.all(containers.map((c) => engine.call('DELETE', `/containers/${c.Id}?force=1&v=1`).catch(() => {})));
  return containers.length;
}

/** Removes (running or not) every container with the label (`key=value`); returns how many. */
export async function removeContainers(engine: DockerEngine, label: string): Promise<number> {
  return removeAll(engine, await listContainers(engine, label));
}

/** Containers of simulators whose process is gone (and whose reaper did not finish, e.g. killed too). */
export async function sweepOrphans(engine: DockerEngine, ownerLabel: string): Promise<number> {
  return removeAll(engine, (await listContainers(engine, ownerLabel)).filter((c) => !alive(Number(c.Labels[ownerLabel]))));
}
