// Issue 12: nothing outlives its test run. A test run that has started PostgreSQL, Chromium, a
// detached simulator with the kit's pods and an intercept is SIGKILLed half-way; afterwards none
// of its processes runs and none of its listening sockets is open.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { descendants, isAlive, startProcess } from '@ffk/test-kit';
import { describe, expect, it } from 'vitest';

const vitest = join(createRequire(import.meta.url).resolve('vitest/package.json'), '../vitest.mjs');
const fixtureConfig = join(import.meta.dirname, 'fixture/vitest.config.ts');
const MARK = 'FFK_BUSY_RUN';

const read = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return ''; // the process ended while we looked
  }
};

/** Processes whose environment carries the run's mark (detached ones included), and everything below them. */
function processesOfRun(mark: string): number[] {
  const marked = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && read(`/proc/${entry}/environ`).split('\0').includes(`${MARK}=${mark}`))
    .map(Number);
  return [...new Set([...marked, ...marked.flatMap(descendants)])].filter(isAlive);
}

/** Inodes of the TCP sockets that are listening, with their local address. */
function listeningSockets(): Map<string, string> {
  const sockets = new Map<string, string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const row of read(table).split('\n').slice(1)) {
      const fields = row.trim().split(/\s+/);
      if (fields[3] === '0A') sockets.set(fields[9]!, fields[1]!); // 0A: LISTEN
    }
  }
  return sockets;
}

/** The listening sockets the given processes hold: inode -> "address:port" (hex, as the kernel shows it). */
function listenersOf(pids: number[]): Map<string, string> {
  const listening = listeningSockets();
  const held = new Map<string, string>();
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        if (inode && listening.has(inode)) held.set(inode, listening.get(inode)!);
      } catch {
        // closed while we looked
      }
    }
  }
  return held;
}

const commandOf = (pid: number) => read(`/proc/${pid}/cmdline`).replace(/\0/g, ' ');

describe('a test run killed half-way', () => {
  it('leaves no process and no listening port behind', { timeout: 300_000 }, async () => {
    const mark = randomUUID();
    const run = startProcess(process.execPath, [vitest, 'run', '--config', fixtureConfig], { env: { ...process.env, [MARK]: mark } });
    try {
      await run.waitForOutput(/BUSY RUN READY/, 240_000);
      const pids = processesOfRun(mark);
      const ports = listenersOf(pids);
      const commands = pids.map(commandOf);
      // What the run started, so that the check below means something.
      for (const program of [/\bpostgres -D /, /chromium/, / sim start\b/, /intercept catalog/]) expect(commands.some((command) => program.test(command)), `${program} among:\n${commands.join('\n')}`).toBe(true);
      expect(ports.size).toBeGreaterThanOrEqual(6); // PostgreSQL, the API server, the kit's four pods, the local catalog…

      process.kill(run.child.pid!, 'SIGKILL'); // the test runner itself, as an aborted turbo run would

      await expect
        .poll(() => ({ processes: pids.filter(isAlive).map((pid) => `${pid} ${commandOf(pid)}`), listening: [...ports.keys()].filter((inode) => listeningSockets().has(inode)).map((inode) => ports.get(inode)) }), {
          timeout: 15_000,
          interval: 250,
        })
        .toEqual({ processes: [], listening: [] });
    } finally {
      await run.stop();
      for (const pid of processesOfRun(mark)) process.kill(pid, 'SIGKILL'); // only after a failure
    }
  });
});
