import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isAlive } from '@ffk/process-kit';
import { describe, expect, it } from 'vitest';
import { ContainerProcess, type LaunchSpec } from './process';

const lifelinePreload = fileURLToPath(import.meta.resolve('@ffk/process-kit/lifeline-preload'));

function nodeContainer(code: string): LaunchSpec {
  return {
    command: process.execPath,
    args: ['--import', 'tsx', '--import', lifelinePreload, '--input-type=module', '-e', code],
    env: { ...process.env } as Record<string, string>,
  };
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('container process', { timeout: 20_000 }, () => {
  it('captures stdout and stderr lines and reports the exit code', async () => {
    const container = new ContainerProcess(
      nodeContainer(`console.log('{"msg":"hello"}'); console.error('oops'); process.stdout.write('no newline'); process.exitCode = 3;`),
    );
    const exit = await container.exited;
    expect(exit.exitCode).toBe(3);
    expect(container.log.snapshot().map((l) => [l.stream, l.text])).toEqual(
      expect.arrayContaining([
        ['stdout', '{"msg":"hello"}'],
        ['stderr', 'oops'],
        ['stdout', 'no newline'],
      ]),
    );
  });

  it('stops gracefully with SIGTERM when the app handles it', async () => {
    const container = new ContainerProcess(
      nodeContainer(
        `process.on('SIGTERM', () => { console.log('draining'); setTimeout(() => process.exit(0), 100); }); setInterval(() => {}, 1000); console.log('up');`,
      ),
    );
    await waitFor(() => container.log.snapshot().length > 0, 10_000);
    const exit = await container.stop(10);
    expect(exit.exitCode).toBe(0);
    expect(container.log.snapshot().map((l) => l.text)).toContain('draining');
  });

  it('kills with SIGKILL after the grace period when SIGTERM is ignored', async () => {
    const container = new ContainerProcess(
      nodeContainer(`process.on('SIGTERM', () => console.log('ignoring')); setInterval(() => {}, 1000); console.log('up');`),
    );
    await waitFor(() => container.log.snapshot().length > 0, 10_000);
    const started = Date.now();
    const exit = await container.stop(1);
    expect(exit.signal).toBe('SIGKILL');
    expect(exit.exitCode).toBe(137);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('reports a command that cannot start', async () => {
    const exit = await new ContainerProcess({ command: '/nonexistent/binary', args: [], env: {} }).exited;
    expect(exit.startError).toMatch(/ENOENT/);
  });

  it('leaves no container process behind when the simulator is SIGKILLed, even one that would hang on exit', async () => {
    // A stand-in simulator starts a container whose SIGTERM handler blocks its main thread for good
    // (like a logger flushing synchronously to a stdout nobody reads), prints its pid, then waits.
    const hangOnTerm =
      'process.on("SIGTERM", () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)); setInterval(() => {}, 1000); console.log("up")';
    const simulator = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `
      import { ContainerProcess } from ${JSON.stringify(new URL('./process.ts', import.meta.url).href)};
      const c = new ContainerProcess({ command: process.execPath, args: ['--import', 'tsx', '--import', ${JSON.stringify(lifelinePreload)}, '-e', ${JSON.stringify(hangOnTerm)}], env: process.env });
      c.log.on('line', (line) => console.log(line.text === 'up' ? c.pid : 'unexpected: ' + line.text));
      setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const pid = await new Promise<number>((resolve) => simulator.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    expect(isAlive(pid)).toBe(true);
    simulator.kill('SIGKILL');
    expect(await waitFor(() => !isAlive(pid), 5000)).toBe(true);
  });
});
