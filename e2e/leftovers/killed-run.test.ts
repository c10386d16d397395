// Issue 12: nothing outlives its test run. A test run that has started PostgreSQL, Chromium, a
// detached simulator with the kit's pods and an intercept is SIGKILLed half-way; afterwards none
// of its processes runs and none of its listening sockets is open.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { defined, descendants, isAlive, listeningSockets, socketInodesOf, startProcess } from '@ffk/test-kit';
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

/** Every listening socket of this machine by inode; this test reads them from /proc (Linux). */
const listeningNow = () => defined(listeningSockets(), 'the listening sockets from /proc/net/tcp');

/** The listening sockets the given processes hold: inode -> the kernel's address:port. */
function listenersOf(pids: number[]): Map<string, string> {
  const held = new Set(pids.flatMap(socketInodesOf));
  return new Map([...listeningNow()].filter(([inode]) => held.has(inode)).map(([inode, socket]) => [inode, socket.local]));
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
      for (const program of [/\bpostgres -D /, /chromium/, / sim start\b/, /intercept catalog/])
        expect(
          commands.some((command) => program.test(command)),
          `${program} among:\n${commands.join('\n')}`,
        ).toBe(true);
      expect(ports.size).toBeGreaterThanOrEqual(6); // PostgreSQL, the API server, the kit's four pods, the local catalog…

      run.child.kill('SIGKILL'); // the test runner itself, as an aborted turbo run would

      await expect
        .poll(
          () => ({
            processes: pids.filter(isAlive).map((pid) => `${pid} ${commandOf(pid)}`),
            listening: [...ports.keys()].filter((inode) => listeningNow().has(inode)).map((inode) => ports.get(inode)),
          }),
          {
            timeout: 15_000,
            interval: 250,
          },
        )
        .toEqual({ processes: [], listening: [] });
    } finally {
      await run.stop();
      for (const pid of processesOfRun(mark)) process.kill(pid, 'SIGKILL'); // only after a failure
    }
  });
});
