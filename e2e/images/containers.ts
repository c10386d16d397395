// Containers of the kit's images for tests: on the host network (the engine here has no bridge),
// listening on loopback only, removed by the test that started them.
import { spawn } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { type Builder, mustRun, runCommand } from '@ffk/images';
import { isAlive } from '@ffk/process-kit';

export interface Container {
  name: string;
  /** `docker stop --time <graceSeconds>`: SIGTERM, then SIGKILL after the grace period. */
  stop(graceSeconds: number): Promise<{ ms: number; exitCode: number }>;
  exec(command: string[]): Promise<string>;
  logs(): Promise<string>;
  remove(): Promise<void>;
}

let started = 0;

/** A test container's owner is this process in this PID namespace: the engine may serve other containers' test runs too. */
const pidNamespace = readlinkSync('/proc/self/ns/pid').replace(/\D/g, '');

/** Removes containers that test runs which no longer exist left behind (a run killed before its afterAll). */
export async function removeLeftovers(builder: Builder): Promise<void> {
  const listed = await mustRun(builder.client, [
    'ps',
    '--all',
    '--filter',
    `label=dev.ffk.e2e.pidns=${pidNamespace}`,
    '--format',
    '{{.Names}} {{.Label "dev.ffk.e2e.pid"}}',
  ]);
  const orphans = listed
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' '))
    .filter(([, pid]) => !isAlive(Number(pid)))
    .map(([name]) => name);
  if (orphans.length) await runCommand(builder.client, ['rm', '--force', ...orphans]);
}

export async function runContainer(builder: Builder, image: string, env: Record<string, string>, args: string[] = []): Promise<Container> {
  const name = `ffk-e2e-${image.replace(/[^a-z0-9]+/g, '-')}-${process.pid}-${++started}`;
  const envArgs = Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]);
  await mustRun(builder.client, [
    'run',
    '--detach',
    '--network',
    'host',
    '--label',
    `dev.ffk.e2e.pidns=${pidNamespace}`,
    '--label',
    `dev.ffk.e2e.pid=${process.pid}`,
    '--name',
    name,
    ...envArgs,
    image,
    ...args,
  ]);
  const docker = (argv: string[]) => mustRun(builder.client, argv);
  return {
    name,
    stop: async (graceSeconds) => {
      const begun = performance.now();
      await docker(['stop', '--time', String(graceSeconds), name]);
      const ms = performance.now() - begun;
      return { ms, exitCode: Number((await docker(['inspect', name, '--format', '{{.State.ExitCode}}'])).trim()) };
    },
    exec: (command) => docker(['exec', name, ...command]),
    logs: async () => {
      const result = await runCommand(builder.client, ['logs', name]);
      return result.stdout + result.stderr;
    },
    remove: async () => void (await runCommand(builder.client, ['rm', '--force', name])),
  };
}

/** Polls `url` until it answers 200, or fails with the container's logs after `timeoutMs`. */
export async function waitUntilOk(url: string, container: Container, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      last = `HTTP ${response.status}: ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last: ${last}); container logs:\n${await container.logs()}`);
}

/** Every path in an image's filesystem (a created, never started container, exported as a tar). */
export async function imageFiles(builder: Builder, image: string): Promise<Set<string>> {
  const id = (await mustRun(builder.client, ['create', image])).trim();
  try {
    const exported = spawn(builder.client, ['export', id], { stdio: ['ignore', 'pipe', 'inherit'] });
    const list = spawn('tar', ['-t'], { stdio: ['pipe', 'pipe', 'inherit'] });
    exported.stdout.pipe(list.stdin);
    const chunks: Buffer[] = [];
    list.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    await new Promise<void>((resolve, reject) =>
      list.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`listing ${image}: tar exited ${code}`)))),
    );
    return new Set(
      Buffer.concat(chunks)
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((path) => path.replace(/\/$/, '')),
    );
  } finally {
    await runCommand(builder.client, ['rm', id]);
  }
}

export async function imageBytes(builder: Builder, image: string): Promise<number> {
  return Number((await mustRun(builder.client, ['image', 'inspect', image, '--format', '{{.Size}}'])).trim());
}
