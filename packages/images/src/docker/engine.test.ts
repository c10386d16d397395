// Which client builds, with stand-in docker clients that print what the real ones print (a 28.x
// client without buildx, Debian's 20.10 with BuildKit built in, a client whose engine is down).
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findBuilder } from './engine';

const dir = mkdtempSync(join(tmpdir(), 'ffk-engine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeClient(name: string, version: string, { engine = true, buildx = false } = {}): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `#!/bin/sh
case "$1" in
  --version) echo "Docker version ${version}" ;;
  version) ${engine ? `echo "${version}|20.10.24+dfsg1"` : `echo "${version}|"; echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1`} ;;
  buildx) ${buildx ? 'echo "github.com/docker/buildx v0.23.0"' : `echo "docker: unknown command: docker buildx" >&2; exit 1`} ;;
  network) exit 1 ;;
esac
`,
  );
  chmodSync(file, 0o755);
  return file;
}

describe('findBuilder', () => {
  it('passes over a 28.x client without buildx for a 20.10 client that has BuildKit built in', async () => {
    const probe = await findBuilder({ clients: [fakeClient('docker28', '28.2.2'), fakeClient('docker20', '20.10.24+dfsg1')] });
    expect(probe).toMatchObject({ ok: true, builder: { client: join(dir, 'docker20'), buildkit: 'built into client 20.10.24+dfsg1', env: { DOCKER_BUILDKIT: '1' }, hostNetwork: true } });
  });

  it('uses a 28.x client when it has the buildx plugin', async () => {
    const probe = await findBuilder({ clients: [fakeClient('docker28x', '28.2.2', { buildx: true })] });
    expect(probe).toMatchObject({ ok: true, builder: { buildkit: 'buildx plugin' } });
  });

  it('says BuildKit is missing, and how to get it, when the engine answers but no client has it', async () => {
    const probe = await findBuilder({ clients: [fakeClient('docker28only', '28.2.2')] });
    expect(probe).toMatchObject({ ok: false, engine: true, problem: expect.stringContaining('need the buildx plugin'), fix: expect.stringContaining('docker-buildx') });
  });

  it('says no engine answers when none does', async () => {
    const probe = await findBuilder({ clients: [fakeClient('docker-down', '20.10.24+dfsg1', { engine: false })] });
    expect(probe).toMatchObject({ ok: false, engine: false, problem: expect.stringContaining('Cannot connect to the Docker daemon') });
  });

  it('says the command is missing when there is no client', async () => {
    expect(await findBuilder({ clients: [join(dir, 'nothing-here')] })).toMatchObject({ ok: false, engine: false, problem: 'the docker command is not installed' });
  });
});
