import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EngineProbe, findBuilder } from '@ffk/images';
import { afterAll, describe, expect, it } from 'vitest';
import { stripAnsi } from '../render/style';
import { createShell } from '../shell/shell';
import { commandSucceeds } from '../testing/command';
import { runCli } from '../testing/run-cli';
import { type DoctorReport, runDoctor } from './doctor';
import { renderDoctor } from './render';

// vitest types its asymmetric matchers as any: these say they stand for a string field.
const containing = (text: string) => expect.stringContaining(text) as string;
const matching = (pattern: RegExp) => expect.stringMatching(pattern) as string;

// Stand-ins for third-party binaries on a PATH of their own, printing what the real ones print,
// so every version and failure case can be shown on one machine.
const dirs: string[] = [];
const servers: Server[] = [];
afterAll(() => {
  dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  servers.forEach((server) => server.close());
});

function fakeBin(tools: Record<string, string>): ReturnType<typeof createShell> {
  const dir = mkdtempSync(join(tmpdir(), 'ffk-doctor-bin-'));
  dirs.push(dir);
  for (const [name, script] of Object.entries(tools)) {
    writeFileSync(join(dir, name), `#!/bin/sh\n${script}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return createShell(dir, { PATH: dir });
}

async function busyPort(): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  return (server.address() as { port: number }).port;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function byId(report: DoctorReport, id: string) {
  const check = report.checks.find((candidate) => candidate.id === id);
  if (!check) throw new Error(`doctor reported no "${id}" check`);
  return check;
}
const GiB = 1024 ** 3;

const BUILDKIT_OK = (): Promise<EngineProbe> =>
  Promise.resolve({
    ok: true,
    builder: {
      client: '/usr/bin/docker',
      clientVersion: '20.10.24',
      engineVersion: '20.10.24',
      env: {},
      buildkit: 'built into client 20.10.24',
      hostNetwork: false,
    },
  });

const NO_ENGINE = 'echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1';

describe('doctor', () => {
  it('names each missing piece with its exact fix, and is blocked when a piece every lab needs is missing', async () => {
    const port = await busyPort();
    const report = await runDoctor({
      $: fakeBin({ docker: NO_ENGINE, kind: 'echo "kind v0.30.0 go1.24.2 linux/amd64"' }),
      ports: [port],
      nodeVersion: '20.11.1',
      memoryBytes: 1 * GiB,
    });
    expect(byId(report, 'docker')).toMatchObject({
      status: 'fail',
      detail: matching(/client is installed but no engine answers \(Cannot connect/),
      fix: containing('sudo service docker start'),
    });
    expect(byId(report, 'kind')).toMatchObject({
      status: 'fail',
      detail: containing('kind v0.30.0 is older than v0.31.0'),
      fix: process.platform === 'linux' ? 'bash .devcontainer/install-tools.sh kind   (the version this kit pins, checksum-verified)' : 'brew install kind',
    });
    expect(byId(report, 'kubectl')).toMatchObject({
      status: 'fail',
      fix: containing(process.platform === 'linux' ? 'bash .devcontainer/install-tools.sh kubectl' : 'brew install kubectl'),
    });
    expect(byId(report, 'skaffold')).toMatchObject({ status: 'warn', detail: containing('lab 5 will be skipped') });
    expect(byId(report, 'node')).toMatchObject({ status: 'fail', detail: 'v20.11.1 is too old' });
    expect(byId(report, 'memory')).toMatchObject({ status: 'fail', detail: containing('1.0 GiB available') });
    expect(byId(report, `port-${port}`)).toMatchObject({ status: 'fail', fix: containing(`ss -ltnp 'sport = :${port}'`) });
    expect(report).toMatchObject({ ok: false, mode: 'blocked' });
    expect(stripAnsi(renderDoctor(report))).toContain('Not ready: fix the ✖ lines');
  });

  it('is ready for kind when the engine answers and every tool is recent enough', async () => {
    const report = await runDoctor({
      $: fakeBin({
        docker: 'echo 28.2.2',
        kind: 'echo "kind v0.31.0 go1.24.2 linux/amd64"',
        kubectl: `echo '{"clientVersion":{"gitVersion":"v1.32.4"}}'`,
        skaffold: 'echo v2.16.1',
      }),
      ports: [await freePort()],
      nodeVersion: '24.11.0',
      memoryBytes: 8 * GiB,
      findBuilder: BUILDKIT_OK,
    });
    expect(report.checks.map((check) => [check.id, check.status, check.detail])).toEqual([
      ['docker', 'ok', 'engine 28.2.2'],
      ['buildkit', 'ok', '/usr/bin/docker 20.10.24 (built into client 20.10.24)'],
      ['kind', 'ok', 'v0.31.0'],
      ['kubectl', 'ok', 'v1.32.4'],
      ['skaffold', 'ok', 'v2.16.1'],
      ['node', 'ok', 'v24.11.0'],
      ['memory', 'ok', '8.0 GiB available'],
      [matching(/^port-/), 'ok', 'free'],
    ]);
    expect(report).toMatchObject({ ok: true, mode: 'kind' });
    expect(report.offline).toBeUndefined();
  });

  it('without a Docker engine offers the offline mode on kube-sim and says what it does not show', async () => {
    const report = await runDoctor({
      $: fakeBin({ kubectl: `echo '{"clientVersion":{"gitVersion":"v1.32.4"}}'` }),
      ports: [await freePort()],
      nodeVersion: '24.11.0',
      memoryBytes: 3 * GiB,
    });
    expect(byId(report, 'docker')).toMatchObject({
      status: 'fail',
      detail: 'the docker command is not installed',
      fix: containing('devcontainer'),
    });
    expect(byId(report, 'memory').status).toBe('warn');
    expect(report).toMatchObject({ ok: true, mode: 'offline', offline: { command: 'npm run lab:1 -- --offline' } });
    const text = stripAnsi(renderDoctor(report));
    expect(text).toContain('the labs can run offline on kube-sim');
    expect(text).toContain('What offline mode does not show:');
    expect(text).toContain('no container images are built or loaded');
  });

  it('with an engine and BuildKit but no kind, says that only kind is missing', async () => {
    const report = await runDoctor({
      $: fakeBin({ docker: 'echo 20.10.24', kubectl: `echo '{"clientVersion":{"gitVersion":"v1.32.4"}}'` }),
      ports: [await freePort()],
      nodeVersion: '24.11.0',
      memoryBytes: 8 * GiB,
      findBuilder: BUILDKIT_OK,
    });
    expect(report).toMatchObject({ ok: true, mode: 'offline', offline: { missing: ['no kind'] } });
    const text = stripAnsi(renderDoctor(report));
    expect(text).toContain('No kind: the labs can run offline on kube-sim');
    expect(text).not.toContain('Docker engine and');
  });

  it('with an engine whose clients lack BuildKit, fails the BuildKit check with the fix', async () => {
    const report = await runDoctor({
      $: fakeBin({ docker: 'echo 28.2.2', kind: 'echo "kind v0.31.0 go1.24.2 linux/amd64"', kubectl: `echo '{"clientVersion":{"gitVersion":"v1.32.4"}}'` }),
      ports: [await freePort()],
      nodeVersion: '24.11.0',
      memoryBytes: 8 * GiB,
      findBuilder: () =>
        Promise.resolve({
          ok: false,
          engine: true,
          problem: 'no docker client here can use BuildKit (docker 28.2.2: 23+ clients need the buildx plugin)',
          fix: 'install the buildx plugin',
        }),
    });
    expect(byId(report, 'buildkit')).toMatchObject({ status: 'fail', detail: containing('buildx plugin'), fix: 'install the buildx plugin' });
    expect(report).toMatchObject({ mode: 'offline', offline: { missing: ['no BuildKit'] } });
    expect(stripAnsi(renderDoctor(report))).toContain('No BuildKit: the labs can run offline');
  });

  it('--json prints the same report for scripts, with an exit code that matches', async () => {
    const result = await runCli(['doctor', '--json']);
    const report = JSON.parse(result.stdout) as DoctorReport;
    expect(report.checks.map((check) => check.id)).toEqual(['docker', 'buildkit', 'kind', 'kubectl', 'skaffold', 'node', 'memory', 'port-8080']);
    const engine = commandSucceeds('docker', ['info']);
    expect(byId(report, 'docker').status).toBe(engine ? 'ok' : 'fail');
    expect(byId(report, 'buildkit').status).toBe((await findBuilder()).ok ? 'ok' : 'fail');
    expect(byId(report, 'node').status).toBe('ok'); // the CLI runs on the bootstrap's Node 24
    expect(result.code).toBe(report.ok ? 0 : 1);
  });
});
