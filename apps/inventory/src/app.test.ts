import { createLogger, createPool, listen, type Pool, type RunningServer } from '@ffk/service-kit';
import { freePort, responseJson, startPostgres, type TestPostgres } from '@ffk/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app';

const logger = createLogger({ name: 'inventory', level: 'silent' });
const pools: Pool[] = [];
const servers: RunningServer[] = [];
let db: TestPostgres;

async function startInventory(databaseUrl: string, podName?: string) {
  const pool = createPool(databaseUrl, logger);
  pools.push(pool);
  const server = await listen(createApp({ pool, logger, podName }), { port: 0, host: '127.0.0.1' });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  db = await startPostgres();
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close(1_000)));
  await Promise.all(pools.map((pool) => pool.end()));
  await db?.stop();
});

describe('probes', () => {
  it('is ready when PostgreSQL answers', async () => {
    const server = await startInventory(db.url);
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await responseJson(response)).toEqual({ status: 'ready', checks: { postgres: 'ok' } });
  });

  it('is alive but not ready (503 with a reason) when PostgreSQL is unreachable', async () => {
    const nothingListens = await freePort();
    const server = await startInventory(`postgres://postgres@127.0.0.1:${nothingListens}/postgres`);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(503);
    const body = await responseJson<{ status: string; reason: string }>(response);
    expect(body.status).toBe('not ready');
    expect(body.reason).toMatch(/^postgres: .*ECONNREFUSED/);
  });
});

describe('x-ffk-served-by', () => {
  it('names the pod from POD_NAME, else the local host', async () => {
    const inPod = await startInventory(db.url, 'inventory-7d9f-abc12');
    expect((await fetch(`${inPod.url}/healthz`)).headers.get('x-ffk-served-by')).toBe('inventory-7d9f-abc12');
    const local = await startInventory(db.url);
    expect((await fetch(`${local.url}/stock/NOPE`)).headers.get('x-ffk-served-by')).toMatch(/^local \(.+\)$/);
  });
});
