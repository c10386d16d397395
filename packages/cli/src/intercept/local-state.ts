// Intercepts running on this machine, one small JSON file each, so `ffk leave` and `ffk status`
// in another terminal find the foreground process (by pid) and what it reports.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isRecordedProcess, type ProcessRef } from '../cli-kit/process-alive';

export interface LocalIntercept extends ProcessRef {
  context: string;
  server: string;
  namespace: string;
  deployment: string;
  mode: string;
  localPort: number;
  startedAt: string;
  pods: string[];
  routed: number;
  failed: number;
  reconnects: number;
  /** a mirror's copies the agents dropped (the local process slow or down); absent in files of an older ffk */
  dropped?: number;
  state: string;
  updatedAt: string;
}

/** $FFK_STATE_DIR, else ~/.ffk/state (tests point it at a temporary directory). */
export function stateDir(env = process.env): string {
  return join(env.FFK_STATE_DIR ?? join(homedir(), '.ffk', 'state'), 'intercepts');
}

const fileName = (i: Pick<LocalIntercept, 'context' | 'namespace' | 'deployment'>) => `${encodeURIComponent(i.context)}__${i.namespace}__${i.deployment}.json`;

export function writeLocalIntercept(intercept: LocalIntercept, dir = stateDir()): void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, fileName(intercept));
  // Atomic: a reader never sees half a file.
  writeFileSync(`${file}.tmp`, JSON.stringify(intercept, null, 2));
  renameSync(`${file}.tmp`, file);
}

export function removeLocalIntercept(intercept: Pick<LocalIntercept, 'context' | 'namespace' | 'deployment'>, dir = stateDir()): void {
  rmSync(join(dir, fileName(intercept)), { force: true });
}

/**
 * The intercepts whose process still runs; files of dead processes (a SIGKILLed CLI), and of pids
 * now reused by another process, are removed.
 */
export function localIntercepts(dir = stateDir()): LocalIntercept[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  const alive: LocalIntercept[] = [];
  for (const file of files) {
    try {
      const intercept = JSON.parse(readFileSync(join(dir, file), 'utf8')) as LocalIntercept;
      if (isRecordedProcess(intercept)) alive.push(intercept);
      else rmSync(join(dir, file), { force: true });
    } catch {
      // being written right now, or not ours: skip
    }
  }
  return alive;
}
