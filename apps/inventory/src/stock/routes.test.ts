import { createLogger, createPool, listen, migrate, type Pool, type RunningServer } from '@ffk/service-kit';
import { responseJson, startPostgres, type TestPostgres } from '@ffk/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { migrations, SEED_STOCK } from '../db/migrations';

let db: TestPostgres;
let pool: Pool;
let server: RunningServer;

beforeAll(async () => {
  db = await startPostgres();
  const logger = createLogger({ name: 'inventory', level: 'silent' });
  pool = createPool(db.url, logger);
  await migrate(pool, 'inventory', migrations);
  server = await listen(createApp({ pool, logger }), { port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await server?.close(1_000);
  await pool?.end();
  await db?.stop();
});

const reserve = (sku: string, body: unknown) =>
  fetch(`${server.url}/stock/${sku}/reserve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('GET /stock', () => {
  it('lists every seeded SKU with its quantity', async () => {
    const response = await fetch(`${server.url}/stock`);
    expect(response.status).toBe(200);
    const { items } = await responseJson<{ items: unknown[] }>(response);
    expect(items).toEqual(expect.arrayContaining(SEED_STOCK.map((row) => ({ sku: row.sku, quantity: expect.any(Number) as unknown }))));
    expect(items).toHaveLength(SEED_STOCK.length);
  });

  it('returns one SKU, and 404 for an unknown one', async () => {
    const found = await fetch(`${server.url}/stock/MUG-ENML-350`);
    expect(found.status).toBe(200);
    expect(await responseJson(found)).toEqual({ sku: 'MUG-ENML-350', quantity: expect.any(Number) as unknown });

    const missing = await fetch(`${server.url}/stock/NOPE-000`);
    expect(missing.status).toBe(404);
    expect((await responseJson<{ error: string }>(missing)).error).toContain('NOPE-000');
  });
});

describe('POST /stock/:sku/reserve', () => {
  it('reserves and answers the remaining quantity', async () => {
    await pool.query("update stock set quantity = 5 where sku = 'DRP-CERA-02'");
    const response = await reserve('DRP-CERA-02', { quantity: 2 });
    expect(response.status).toBe(200);
    expect(await responseJson(response)).toEqual({ sku: 'DRP-CERA-02', reserved: 2, quantity: 3 });
  });

  it('refuses more than is left with 409 and what is available, changing nothing', async () => {
    await pool.query("update stock set quantity = 1 where sku = 'KTL-GOOSE-1L'");
    const response = await reserve('KTL-GOOSE-1L', { quantity: 2 });
    expect(response.status).toBe(409);
    expect(await responseJson(response)).toEqual({ error: 'insufficient stock', available: 1 });
    const { rows } = await pool.query<{ quantity: number }>("select quantity from stock where sku = 'KTL-GOOSE-1L'");
    expect(rows[0].quantity).toBe(1);
  });

  it('answers 404 for an unknown SKU and 400 for a bad quantity', async () => {
    expect((await reserve('NOPE-000', { quantity: 1 })).status).toBe(404);
    for (const body of [{}, { quantity: 0 }, { quantity: -3 }, { quantity: 1.5 }, { quantity: '2' }]) {
      const response = await reserve('MUG-ENML-350', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await responseJson<{ error: string }>(response)).error).toContain('quantity');
    }
    const malformed = await fetch(`${server.url}/stock/MUG-ENML-350/reserve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"quantity":',
    });
    expect(malformed.status).toBe(400);
  });

  it('never oversells under concurrency: 50 reserves of 1 against stock 20 -> exactly 20 succeed', async () => {
    await pool.query("update stock set quantity = 20 where sku = 'BNS-ETH-250'");
    const started = Date.now();
    const responses = await Promise.all(Array.from({ length: 50 }, () => reserve('BNS-ETH-250', { quantity: 1 })));
    const bodies = await Promise.all(responses.map((response) => responseJson<{ quantity: number }>(response)));
    console.info(`50 concurrent reservations answered in ${Date.now() - started} ms`);

    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(20);
    expect(statuses.filter((status) => status === 409)).toHaveLength(30);
    // Every success saw a distinct remaining quantity 19..0: no two requests got the same unit.
    const remaining = bodies.filter((_, i) => statuses[i] === 200).map((body) => body.quantity);
    expect(remaining.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const { rows } = await pool.query<{ quantity: number }>("select quantity from stock where sku = 'BNS-ETH-250'");
    expect(rows[0].quantity).toBe(0);
  });
});
