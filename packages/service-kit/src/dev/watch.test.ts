import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, type StartedProcess, startProcess } from '@ffk/test-kit';
import { afterEach, describe, expect, it } from 'vitest';

const RUNNER = fileURLToPath(new URL('../../bin/service-dev.mjs', import.meta.url));
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * `service-dev main.ts` on a tiny TypeScript service in a temp dir, whose answer comes from an
 * extensionless import of the file the test edits (/slow answers after 800 ms). The service stops
 * gracefully on the first SIGINT/SIGTERM and exits 3 on a second one (which would cut a graceful
 * stop short).
 */
async function devService(): Promise<{ url: string; runner: StartedProcess; setText: (text: string) => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'service-dev-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
  const setText = (text: string) => writeFileSync(join(dir, 'text.ts'), `export const text: string = ${JSON.stringify(text)};\n`);
  setText('one');
  writeFileSync(
    join(dir, 'main.ts'),
    `import { createServer, type Server, type ServerResponse } from 'node:http';
import { text } from './text';
let signals = 0;
// As runService: once stopping, an answer closes its connection, so a client's kept-alive socket
// cannot keep reaching this run after the next one serves.
const answer = (res: ServerResponse, body: string) => res.setHeader('connection', signals > 0 ? 'close' : 'keep-alive').end(body);
const server: Server = createServer((req, res) => (req.url === '/slow' ? setTimeout(() => answer(res, 'slow ' + text), 800) : answer(res, text))).listen(Number(process.env.PORT), '127.0.0.1');
const stop = () => {
  if (++signals > 1) process.exit(3);
  server.close(() => setTimeout(() => process.exit(0), 100));
  process.send?.({ type: 'released' }); // as runService: the next run may bind the port while this one drains
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
`,
  );
  const port = await freePort();
  // startProcess gives it a process group of its own, as a terminal gives a command, so the test can press Ctrl-C.
  const compileCache = mkdtempSync(join(tmpdir(), 'service-dev-cache-')); // not the shared default in the temp dir
  cleanups.push(() => rmSync(compileCache, { recursive: true, force: true }));
  const runner = startProcess(process.execPath, [RUNNER, 'main.ts'], {
    cwd: dir,
    env: { PATH: process.env.PATH, PORT: String(port), NODE_COMPILE_CACHE: compileCache },
  });
  cleanups.push(() => runner.stop());
  return { url: `http://127.0.0.1:${port}/`, runner, setText };
}

/** Ctrl-C in the terminal: SIGINT to the runner's whole process group. */
function interrupt(runner: StartedProcess): void {
  if (runner.child.pid === undefined) throw new Error('service-dev did not start');
  process.kill(-runner.child.pid, 'SIGINT');
}

/** Polls the service until it answers `text` (it is down while it restarts). */
async function answers(url: string, text: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last = 'nothing';
  while (Date.now() < deadline) {
    last = await fetch(url).then(
      (response) => response.text(),
      (error: Error) => String(error.cause instanceof Error ? error.cause : error),
    );
    if (last === text) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${url} answered ${last}, not ${text}`);
}

const refuses = (url: string) =>
  fetch(url).then(
    () => false,
    () => true,
  );

describe('service-dev', () => {
  it('runs TypeScript with extensionless imports and restarts on an edit of an imported file, from a warm standby', async () => {
    const { url, runner, setText } = await devService();
    await answers(url, 'one');
    setText('two');
    await answers(url, 'two');
    await new Promise((resolve) => setTimeout(resolve, 500)); // time for the standby to start
    setText('three');
    await answers(url, 'three');
    await runner.waitForOutput(/text\.ts changed: restarted .*warm standby took over/);
    expect(runner.stderr().match(/changed: restarted/g)).toHaveLength(2);
    expect(runner.stderr()).not.toMatch(/Warning/); // the standby's warm-up of the type stripper says nothing
  });

  it('Ctrl-C (SIGINT to the whole process group) stops the service gracefully, once, and the runner with its code', async () => {
    const { url, runner } = await devService();
    await answers(url, 'one');
    interrupt(runner);
    expect((await runner.exited).code).toBe(0);
    expect(await refuses(url)).toBe(true);
  });

  it('Ctrl-C right after a restart lets the previous run finish its in-flight request', async () => {
    const { url, runner, setText } = await devService();
    await answers(url, 'one');
    const slow = fetch(`${url}slow`).then(
      (response) => response.text(),
      (error: Error) => `failed: ${String(error.cause instanceof Error ? error.cause : error)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100)); // in flight in the first run
    setText('two');
    await answers(url, 'two'); // the next run serves while the first one still drains
    interrupt(runner);
    expect(await slow).toBe('slow one');
    expect((await runner.exited).code).toBe(0);
  });

  it('a killed runner does not leave the service running', async () => {
    const { url, runner } = await devService();
    await answers(url, 'one');
    runner.child.kill('SIGKILL');
    await expect.poll(() => refuses(url), { timeout: 5_000 }).toBe(true);
  });
});
