import type { IncomingHttpHeaders } from 'node:http';
import { createApp as createInventoryApp, migrations as inventoryMigrations } from '@ffk/inventory';
import { createLogger, createPool, createUpstream, listen, migrate, type Pool, type RunningServer } from '@ffk/service-kit';
import { responseJson, startPostgres, startSilentServer, type TestPostgres } from '@ffk/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app';
import { banner } from './banner';
import { migrations, SEED_PRODUCTS } from './db/migrations';

const logger = createLogger({ name: 'catalog', level: 'silent' });
const TIMEOUT_MS = 400;
const servers: RunningServer[] = [];
let db: TestPostgres;
let pool: Pool;
let inventory: RunningServer;
let catalog: RunningServer;

/** A catalog on port 0 over the test database, calling inventory at `inventoryUrl`. */
async function startCatalog(inventoryUrl: string, podName?: string) {
  const upstream = createUpstream({ name: 'inventory', baseUrl: inventoryUrl, timeoutMs: TIMEOUT_MS });
  const server = await listen(createApp({ pool, logger, inventory: upstream, podName }), { port: 0, host: '127.0.0.1' });
  servers.push(server);
  return server;
}

async function startInventory() {
  const server = await listen(createInventoryApp({ pool, logger, podName: 'inventory-5c8d-x2k4q' }), { port: 0, host: '127.0.0.1' });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  db = await startPostgres();
  pool = createPool(db.url, logger);
  // Both services migrate the same database at the same moment, as two pods starting would.
  await Promise.all([migrate(pool, 'catalog', migrations), migrate(pool, 'inventory', inventoryMigrations)]);
  inventory = await startInventory();
  catalog = await startCatalog(inventory.url);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close(500)));
  await pool?.end();
  await db?.stop();
});

interface ProductsBody {
  inventory: { ok: boolean; servedBy: string | null };
  products: { sku: string; stock: number | null }[];
}

describe('GET /products', () => {
  it('lists the seeded products with stock from the real inventory', async () => {
    const response = await fetch(`${catalog.url}/products`);
    expect(response.status).toBe(200);
    const body = await responseJson<ProductsBody>(response);
    expect(body.inventory).toEqual({ ok: true, servedBy: 'inventory-5c8d-x2k4q' });
    expect(body.products.map((product) => product.sku)).toEqual(SEED_PRODUCTS.map((product) => product.sku));
    // Every product has a stock row: the two seeds agree on SKUs.
    const { rows } = await pool.query<{ sku: string; quantity: number }>('select sku, quantity from stock');
    const stock = Object.fromEntries(rows.map((row) => [row.sku, row.quantity]));
    for (const product of body.products) expect(product.stock, product.sku).toBe(stock[product.sku]);
    expect(body.products[0]).toEqual({
      id: expect.any(Number) as unknown,
      sku: 'KTL-GOOSE-1L',
      name: 'Gooseneck Pour-Over Kettle',
      description: expect.any(String) as unknown,
      priceCents: 4900,
      stock: expect.any(Number) as unknown,
    });
  });

  it('shows a reservation made at inventory', async () => {
    await fetch(`${inventory.url}/stock/MUG-ENML-350/reserve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"quantity":3}' });
    const { rows } = await pool.query<{ id: number }>("select id from products where sku = 'MUG-ENML-350'");
    const product = await responseJson(await fetch(`${catalog.url}/products/${rows[0].id}`));
    expect(product).toMatchObject({ sku: 'MUG-ENML-350', stock: 45, inventory: { ok: true } });
  });

  it('answers 404 for an unknown or malformed product id', async () => {
    expect((await fetch(`${catalog.url}/products/99999`)).status).toBe(404);
    expect((await fetch(`${catalog.url}/products/kettle`)).status).toBe(404);
  });
});

describe('when inventory is down or slow', () => {
  it('still serves products, with stock null and inventory.ok false, when inventory is stopped', async () => {
    const stopped = await startInventory();
    await stopped.close(500);
    const degraded = await startCatalog(stopped.url);
    const body = await responseJson<ProductsBody>(await fetch(`${degraded.url}/products`));
    expect(body.inventory).toEqual({ ok: false, servedBy: null });
    expect(body.products).toHaveLength(SEED_PRODUCTS.length);
    expect(body.products.every((product) => product.stock === null)).toBe(true);
  });

  it('gives up on an inventory that accepts connections but never answers, within its timeout', async () => {
    const silent = await startSilentServer();
    try {
      const degraded = await startCatalog(silent.url);
      const started = Date.now();
      const body = await responseJson<ProductsBody>(await fetch(`${degraded.url}/products`));
      const elapsed = Date.now() - started;
      expect(silent.connections()).toBeGreaterThan(0);
      expect(body.inventory).toEqual({ ok: false, servedBy: null });
      expect(body.products[0].stock).toBeNull();
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 1_500);
    } finally {
      await silent.stop();
    }
  });
});

describe('headers', () => {
  it('forwards x-ffk-* and baggage (per request, never mixed up) to inventory, and nothing else', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const standIn = await listen(
      (req, res) => {
        seen.push(req.headers);
        // Answer late, so both catalog requests are in flight at once.
        setTimeout(() => res.setHeader('content-type', 'application/json').end('{"items":[]}'), 50);
      },
      { port: 0, host: '127.0.0.1' },
    );
    servers.push(standIn);
    const viaStandIn = await startCatalog(standIn.url);
    const ask = (user: string) =>
      fetch(`${viaStandIn.url}/products`, {
        headers: { 'x-ffk-user': user, baggage: `ffk.user=${user},tenant=shop`, authorization: 'Bearer secret', cookie: 'session=1', 'x-request-id': 'r-1' },
      });
    const answers = await Promise.all([ask('alice'), ask('bob')]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);

    expect(seen.map((headers) => [headers['x-ffk-user'], headers.baggage]).sort()).toEqual([
      ['alice', 'ffk.user=alice,tenant=shop'],
      ['bob', 'ffk.user=bob,tenant=shop'],
    ]);
    for (const headers of seen) {
      expect(headers.authorization).toBeUndefined();
      expect(headers.cookie).toBeUndefined();
      expect(headers['x-request-id']).toBeUndefined();
    }
  });

  it('sets x-ffk-served-by from POD_NAME, else local (<hostname>)', async () => {
    const inPod = await startCatalog(inventory.url, 'catalog-6f7b9-qk2zt');
    expect((await fetch(`${inPod.url}/products`)).headers.get('x-ffk-served-by')).toBe('catalog-6f7b9-qk2zt');
    expect((await fetch(`${catalog.url}/banner`)).headers.get('x-ffk-served-by')).toMatch(/^local \(.+\)$/);
  });
});

describe('GET /banner', () => {
  it('answers the text and colour written in banner.ts', async () => {
    const response = await fetch(`${catalog.url}/banner`);
    expect(response.status).toBe(200);
    expect(await responseJson(response)).toEqual({ text: banner.text, color: banner.color });
  });
});

describe('probes', () => {
  it('is ready while PostgreSQL answers, even with inventory down', async () => {
    const stopped = await startInventory();
    await stopped.close(500);
    const degraded = await startCatalog(stopped.url);
    expect(await responseJson(await fetch(`${degraded.url}/readyz`))).toEqual({ status: 'ready', checks: { postgres: 'ok' } });
    expect((await fetch(`${degraded.url}/healthz`)).status).toBe(200);
  });
});
