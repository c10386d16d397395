import { freePort, startProcess, type StartedProcess } from '@ffk/test-kit';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const RUNNER = fileURLToPath(new URL('./watch.ts', import.meta.url));
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A tiny TypeScript service in a temp dir, with an extensionless import of the file the test edits. */
async function devService(): Promise<{ url: string; runner: StartedProcess; setText(text: string): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'service-dev-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
  const setText = (text: string) => writeFileSync(join(dir, 'text.ts'), `export const text: string = ${JSON.stringify(text)};\n`);
  setText('one');
  writeFileSync(
    join(dir, 'main.ts'),
    `import { createServer, type Server } from 'node:http';
import { text } from './text';
const server: Server = createServer((_req, res) => res.end(text)).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('SIGINT', () => server.close(() => process.exit(0)));
`,
  );
  const port = await freePort();
  const runner = startProcess(process.execPath, [RUNNER, 'main.ts'], { cwd: dir, env: { PATH: process.env.PATH, PORT: String(port) } });
  cleanups.push(() => runner.stop());
  return { url: `http://127.0.0.1:${port}/`, runner, setText };
}

/** Polls the service until it answers `text` (it is down while it restarts). */
async function answers(url: string, text: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last = 'nothing';
  while (Date.now() < deadline) {
    last = await fetch(url).then((response) => response.text(), (error: Error) => String(error.cause ?? error));
    if (last === text) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${url} answered ${last}, not ${text}`);
}

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
  });

  it('Ctrl-C stops the service and the runner; a killed runner does not leave the service running', async () => {
    const first = await devService();
    await answers(first.url, 'one');
    first.runner.child.kill('SIGINT');
    expect((await first.runner.exited).code).toBe(0);
    await expect(fetch(first.url)).rejects.toThrow();

    const second = await devService();
    await answers(second.url, 'one');
    second.runner.child.kill('SIGKILL');
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && (await fetch(second.url).then(() => true, () => false))) await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(fetch(second.url)).rejects.toThrow();
  });
});
