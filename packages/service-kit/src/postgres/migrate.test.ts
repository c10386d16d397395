import { startPostgres, type TestPostgres } from '@ffk/test-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../logging/logger';
import { migrate, type Migration } from './migrate';
import { createPool, type Pool } from './pool';

let db: TestPostgres;
let pool: Pool;

beforeAll(async () => {
  db = await startPostgres();
  pool = createPool(db.url, createLogger({ name: 'test', level: 'silent' }));
});

afterAll(async () => {
  await pool?.end();
  await db?.stop();
});

const table = (name: string): Migration => ({ id: `create-${name}`, up: (client) => client.query(`create table if not exists ${name} (id int)`) });

it('lets services that share a database start at the same moment without racing', async () => {
  // Unguarded, concurrent CREATE TABLE IF NOT EXISTS of the bookkeeping table fails with a
  // duplicate key in pg_type; under the advisory lock every run succeeds.
  const runs = await Promise.all(['a', 'b', 'c', 'd'].map((service) => migrate(pool, service, [table(`t_${service}`)])));
  expect(runs).toEqual([['create-t_a'], ['create-t_b'], ['create-t_c'], ['create-t_d']]);
  const { rows } = await pool.query<{ service: string; id: string }>('select service, id from ffk_migrations order by service');
  expect(rows.map((row) => `${row.service}/${row.id}`)).toEqual(['a/create-t_a', 'b/create-t_b', 'c/create-t_c', 'd/create-t_d']);
});

it('applies all of a run or none of it', async () => {
  const broken: Migration = { id: 'broken', up: (client) => client.query('select * from no_such_table') };
  await expect(migrate(pool, 'e', [table('t_e'), broken])).rejects.toThrow('migrating e failed: relation "no_such_table" does not exist');
  const { rows } = await pool.query<{ n: number }>("select count(*)::int as n from pg_tables where tablename = 't_e'");
  expect(rows[0].n).toBe(0);
});

it('a start that finds its migrations applied does not wait for the lock (one query, no transaction)', async () => {
  await migrate(pool, 'f', [table('t_f')]);
  // Another service holds the migration lock for a long migration of its own.
  const holder = await pool.connect();
  try {
    await holder.query('begin');
    await holder.query('select pg_advisory_xact_lock($1)', [0x46464b]);
    const again = migrate(pool, 'f', [table('t_f')]);
    const outcome = await Promise.race([again, new Promise((resolve) => setTimeout(() => resolve('still waiting for the lock'), 2_000))]);
    expect(outcome).toEqual([]);
    // A migration that is not recorded yet still takes its turn under the lock.
    const pending = migrate(pool, 'f', [table('t_f'), table('t_f2')]);
    expect(await Promise.race([pending, new Promise((resolve) => setTimeout(() => resolve('waiting'), 300))])).toBe('waiting');
    await holder.query('commit');
    expect(await pending).toEqual(['create-t_f2']);
  } finally {
    holder.release();
  }
});
