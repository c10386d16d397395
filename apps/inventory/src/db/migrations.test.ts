import { createLogger, createPool, migrate, type Pool } from '@ffk/service-kit';
import { startPostgres, type TestPostgres } from '@ffk/test-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrations, SEED_STOCK } from './migrations';

let db: TestPostgres;
let pool: Pool;

beforeAll(async () => {
  db = await startPostgres();
  pool = createPool(db.url, createLogger({ name: 'inventory', level: 'silent' }));
});

afterAll(async () => {
  await pool?.end();
  await db?.stop();
});

const stockRows = async () => (await pool.query<{ sku: string; quantity: number }>('select sku, quantity from stock order by sku')).rows;

it('creates and seeds the stock table once; running again (even concurrently) changes nothing', async () => {
  expect(await migrate(pool, 'inventory', migrations)).toEqual(['001-create-stock', '002-seed-stock']);
  const seeded = await stockRows();
  expect(seeded).toEqual([...SEED_STOCK].sort((a, b) => a.sku.localeCompare(b.sku)));

  // A reservation made after the seed must survive a restart: the seed never runs twice.
  await pool.query("update stock set quantity = 3 where sku = 'MUG-ENML-350'");
  const before = await stockRows();
  const again = await Promise.all([migrate(pool, 'inventory', migrations), migrate(pool, 'inventory', migrations)]);
  expect(again).toEqual([[], []]);
  expect(await stockRows()).toEqual(before);
});
