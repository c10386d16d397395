import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When this process started, as the kernel tells it (Linux: field 22 of /proc/<pid>/stat, in
 * clock ticks since boot; elsewhere `ps -o lstart`): with the pid, it names one process for good,
 * because a pid is reused after its process ends. Undefined when the process is gone.
 */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    if (process.platform === 'linux') return undefined;
  }
  try {
    return execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** A process as a state file records it: its pid and when it started. */
export interface ProcessRef {
  pid: number;
  pidStart?: string;
}

export function thisProcess(): ProcessRef {
  return { pid: process.pid, pidStart: processStart(process.pid) };
}

/**
 * Whether the recorded process still runs: the pid exists AND started when the record says. A
 * stale file whose pid now belongs to another process (or a record without a start) does not
 * count, so nobody signals a stranger.
 */
export function isRecordedProcess(ref: ProcessRef): boolean {
  return Number.isInteger(ref.pid) && ref.pid > 0 && ref.pidStart !== undefined && processAlive(ref.pid) && processStart(ref.pid) === ref.pidStart;
}
