// Which local processes belong to a simulator's pods: every container process (and whatever it
// forks, e.g. PostgreSQL's backends) carries the simulator's name-table path in its environment.
// Lets tests and tools check that a stopped simulator left nothing behind.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NAMES_FILE_ENV } from '../network/preload';

// In a directory of its own that containers mount read-only (see containers/docker-runtime.ts).
export const NAMES_FILE = 'pod-network/cluster-names.json';

/** Pids of live processes started for the pods of the simulator whose state dir is `stateDir` (Linux /proc). */
export function podProcesses(stateDir: string, where: { hostname?: string } = {}): number[] {
  const marker = `${NAMES_FILE_ENV}=${join(stateDir, NAMES_FILE)}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let environ: string[];
    try {
      environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
    } catch {
      continue; // gone, or not ours to read
    }
    if (!environ.includes(marker)) continue;
    if (where.hostname && !environ.includes(`HOSTNAME=${where.hostname}`)) continue;
    pids.push(Number(entry));
  }
  return pids;
}
