// The agent as the cluster runs it: the stock Node image (DEFAULT_AGENT_IMAGE), its bundle in a
// read-only mount where the ConfigMap would be, as user 1000 with a read-only root and no
// capabilities (the sidecar's securityContext). Needs a Docker engine holding that image; skipped
// with the reason otherwise.
import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { Connector } from '../connector/connector';
import { AGENT_BUNDLE_KEY, AGENT_MOUNT_PATH, DEFAULT_AGENT_IMAGE } from '../control/agent-bundle';
import { get } from '../testing/http-client';
import { LOCAL } from '../testing/pair';
import { startTestServer } from '../testing/servers';
import { generateToken } from '../tunnel/token';
import { buildAgentBundle } from './bundle';

const run = promisify(execFile);

async function whyNoImage(): Promise<string | undefined> {
  try {
    await run('docker', ['image', 'inspect', '--format', '{{.Id}}', DEFAULT_AGENT_IMAGE], { timeout: 15_000 });
    return undefined;
  } catch (error) {
    const failed = error as { code?: string; stderr?: string };
    if (failed.code === 'ENOENT') return 'no docker command';
    const line = (failed.stderr ?? '').trim().split('\n')[0] ?? '';
    return /no such image/i.test(line)
      ? `the Docker engine has no image ${DEFAULT_AGENT_IMAGE} (nothing can be pulled here)`
      : `no Docker engine answers (${line || 'docker image inspect failed'})`;
  }
}

const skipReason = await whyNoImage();
if (skipReason) console.log(`src/agent/container.test.ts skipped: ${skipReason}`);

describe.skipIf(skipReason !== undefined)(`the agent on ${DEFAULT_AGENT_IMAGE} with its bundle mounted as the ConfigMap`, { timeout: 60_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), 'ffk-agent-container-'));
  const name = `ffk-agent-test-${process.pid}`;
  afterAll(async () => {
    await run('docker', ['rm', '-f', name]).catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  });

  it('starts as `node /ffk-agent/agent.mjs`, answers /healthz, passes traffic to the app and routes an intercept', async () => {
    writeFileSync(join(work, AGENT_BUNDLE_KEY), await buildAgentBundle(), { mode: 0o644 });
    chmodSync(work, 0o755);
    const app = await startTestServer('app');
    const local = await startTestServer('laptop');
    const token = generateToken();
    const child = spawn(
      'docker',
      [
        'run',
        '--rm',
        '--name',
        name,
        '--network',
        'host',
        '--user',
        '1000:1000',
        '--read-only',
        '--cap-drop',
        'ALL',
        '--security-opt',
        'no-new-privileges',
        '-v',
        `${work}:${AGENT_MOUNT_PATH}:ro`,
        '-e',
        `FFK_AGENT_TOKEN=${token}`,
        '-e',
        `FFK_AGENT_PORTS=http:0:${app.port}`,
        '-e',
        'FFK_AGENT_BIND=127.0.0.1',
        '-e',
        'FFK_AGENT_TUNNEL=127.0.0.1:0',
        '-e',
        'FFK_AGENT_HEALTH_PORT=0',
        '-e',
        'POD_NAME=catalog-7',
        DEFAULT_AGENT_IMAGE,
        'node',
        `${AGENT_MOUNT_PATH}/${AGENT_BUNDLE_KEY}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    type Ready = { msg: string; ports: { listen: number }[]; health: number; tunnel: string };
    try {
      const ready = await new Promise<Ready>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line) as Ready));
        child.once('exit', (code) => reject(new Error(`the container exited (${code}): ${stderr}`)));
      });
      expect(ready.msg).toBe('agent ready');
      expect((await get(ready.health, '/healthz')).status).toBe(200);
      const servicePort = ready.ports[0].listen;
      expect((await get(servicePort, '/who')).headers['x-ffk-served-by']).toBe('app');

      const tunnelPort = Number(ready.tunnel.split(':').pop());
      const connector = new Connector({ openStream: () => net.connect(tunnelPort, '127.0.0.1'), token, intercept: { mode: 'global' }, localPort: local.port });
      await connector.start();
      expect((await get(servicePort, '/who')).headers['x-ffk-served-by']).toBe(LOCAL);
      await connector.stop();
      expect((await get(servicePort, '/who')).headers['x-ffk-served-by']).toBe('app');
    } finally {
      await run('docker', ['stop', '-t', '5', name]).catch(() => undefined);
      await app.close();
      await local.close();
    }
  });
});
