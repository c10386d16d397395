// Wall clock of short commands, spawn to exit: shared by cli-startup (ffk --help) and
// intercept-e2e (its `node -e 0` baseline).
import { spawn } from 'node:child_process';
import { percentile } from './stats';

/** Spawn to exit of `command args`, in ms; a non-zero exit is an error (the figure would be a failure's). */
export function timeExit(command: string, args: string[]): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) =>
    spawn(command, args, { stdio: 'ignore' })
      .once('error', reject)
      .once('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${command} ${args.join(' ')} exited ${code}`)))),
  );
}

/**
 * The median of `rounds` timings of each command, run in turns (one of each per round, so load
 * that comes and goes weighs on all of them alike), after one untimed run of each: that one fills
 * V8's compile cache, as a user's first run does.
 */
export async function interleavedMedians<K extends string>(rounds: number, commands: Record<K, [string, string[]]>): Promise<Record<K, number>> {
  const entries = Object.entries(commands) as [K, [string, string[]]][];
  const times = new Map<K, number[]>(entries.map(([name]) => [name, []]));
  for (let round = -1; round < rounds; round++) {
    for (const [name, [command, args]] of entries) {
      const ms = await timeExit(command, args);
      if (round >= 0) times.get(name)?.push(ms);
    }
  }
  return Object.fromEntries(entries.map(([name]) => [name, percentile(times.get(name) ?? [], 50)])) as Record<K, number>;
}

/** `pass` when `measured` is within `limit`, for the tables the benchmarks print. */
export const verdict = (measured: number, limit: number) => (measured <= limit ? 'pass' : 'FAIL');
