// What the services' SQL needs from the embedded database, checked with the same `pg` client
// they use: several connections at once, ON CONFLICT seeds, transactions that must not
// interleave, and data kept across restarts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';

describe('embedded PostgreSQL (PGlite)', () => {
  let database: EmbeddedPostgres;
  let pools: [pg.Pool, pg.Pool];

  beforeAll(async () => {
    database = await startEmbeddedPostgres({ storage: 'memory' });
    // Two pools: two services connecting at once.
    pools = [new pg.Pool({ connectionString: database.url, max: 5 }), new pg.Pool({ connectionString: database.url, max: 5 })];
    await pools[0].query('create table if not exists stock (sku text primary key, quantity integer not null check (quantity >= 0))');
  });

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await database.stop();
  });

  it('seeds idempotently with ON CONFLICT', async () => {
    const seed = "insert into stock (sku, quantity) values ('MUG', 7), ('CAP', 3) on conflict (sku) do nothing";
    await pools[0].query(seed);
    await pools[1].query(seed);
    const { rows } = await pools[1].query('select sku, quantity from stock order by sku');
    expect(rows).toEqual([
      { sku: 'CAP', quantity: 3 },
      { sku: 'MUG', quantity: 7 },
    ]);
  });

  it('keeps concurrent reservations from different connections from overselling', async () => {
    await pools[0].query("insert into stock values ('RACE', 5) on conflict (sku) do update set quantity = 5");
    const reserve = async (pool: pg.Pool) => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const { rows } = await client.query<{ quantity: number }>('select quantity from stock where sku = $1 for update', ['RACE']);
        if ((rows[0]?.quantity ?? 0) < 1) return (await client.query('rollback'), false);
        await client.query('update stock set quantity = quantity - 1 where sku = $1', ['RACE']);
        await client.query('commit');
        return true;
      } finally {
        client.release();
      }
    };
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => reserve(pools[i % 2])));
    expect(results.filter(Boolean)).toHaveLength(5);
    expect((await pools[1].query<{ quantity: number }>("select quantity from stock where sku = 'RACE'")).rows[0]?.quantity).toBe(0);
  });

  it('serialises migrations guarded by a transaction-scoped advisory lock', async () => {
    await pools[0].query('create table if not exists runs (n integer not null)');
    await pools[0].query('insert into runs values (0)');
    const migrate = async (pool: pg.Pool) => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query('select pg_advisory_xact_lock(4242)');
        const { rows } = await client.query<{ n: number }>('select n from runs');
        await new Promise((resolve) => setTimeout(resolve, 20));
        await client.query('update runs set n = $1', [(rows[0]?.n ?? 0) + 1]);
        await client.query('commit');
      } finally {
        client.release();
      }
    };
    await Promise.all([migrate(pools[0]), migrate(pools[1]), migrate(pools[0])]);
    expect((await pools[1].query<{ n: number }>('select n from runs')).rows[0]?.n).toBe(3);
  });

  it('keeps its data across restarts when given a directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ffk-pglite-'));
    try {
      const first = await startEmbeddedPostgres({ storage: dir });
      const client = new pg.Client(first.url);
      await client.connect();
      await client.query("create table kept (v text); insert into kept values ('still here')");
      await client.end();
      await first.stop();

      const second = await startEmbeddedPostgres({ storage: dir });
      const again = new pg.Client(second.url);
      await again.connect();
      expect((await again.query('select v from kept')).rows).toEqual([{ v: 'still here' }]);
      await again.end();
      await second.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
