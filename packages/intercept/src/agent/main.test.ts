import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { get } from '../testing/http-client';
import { startTestServer } from '../testing/servers';
import { generateToken } from '../tunnel/token';
import { buildAgentBundle } from './bundle';

const run = promisify(execFile);
const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ffk-agent-bundle-'));

describe('agent entry point', () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('says in one line which variable is wrong, and exits 1', async () => {
    const failed = await run(process.execPath, ['--import', 'tsx', main], { env: { PATH: process.env.PATH, FFK_AGENT_TOKEN: 'short' } }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed).toMatchObject({ code: 1, stderr: 'ffk-agent: bad configuration: FFK_AGENT_TOKEN must be at least 16 characters\n' });
  });

  it('runs as the single minified bundle the CLI ships in the agent ConfigMap, logging JSON', async () => {
    const outfile = join(work, 'agent.mjs');
    writeFileSync(outfile, await buildAgentBundle());
    const app = await startTestServer('app');
    const child = spawn(process.execPath, [outfile], {
      env: {
        FFK_AGENT_TOKEN: generateToken(),
        FFK_AGENT_PORTS: `http:0:${app.port}`,
        FFK_AGENT_BIND: '127.0.0.1',
        FFK_AGENT_TUNNEL: '127.0.0.1:0',
        FFK_AGENT_HEALTH_PORT: '0',
        POD_NAME: 'catalog-7',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    type Ready = { msg: string; pod: string; ports: { listen: number }[]; health: number };
    try {
      const ready = await new Promise<Ready>((resolve) => createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line) as Ready)));
      expect(ready).toMatchObject({ msg: 'agent ready', pod: 'catalog-7' });
      expect((await get(ready.health, '/healthz')).status).toBe(200);
      expect((await get(ready.ports[0].listen, '/who')).headers['x-ffk-served-by']).toBe('app');
    } finally {
      child.kill('SIGTERM');
      await app.close();
    }
    const [code] = await new Promise<[number | null]>((resolve) =>
      child.exitCode !== null ? resolve([child.exitCode]) : child.once('exit', (c) => resolve([c])),
    );
    expect(code).toBe(0);
  });
});
