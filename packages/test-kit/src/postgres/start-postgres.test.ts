import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres } from './start-postgres';
import type { TestPostgres } from './types';

describe('startPostgres', () => {
  let db: TestPostgres;
  beforeAll(async () => {
    db = await startPostgres();
    console.info(`PostgreSQL for this file: ${db.source}`);
  });
  afterAll(() => db?.stop());

  it('gives a database that accepts writes and reads', async () => {
    const client = new pg.Client(db.url);
    await client.connect();
    try {
      await client.query('create table notes (body text)');
      await client.query("insert into notes values ('hello')");
      const { rows } = await client.query('select body from notes');
      expect(rows).toEqual([{ body: 'hello' }]);
    } finally {
      await client.end();
    }
  });

  it.skipIf(process.env.DATABASE_URL)('runs PostgreSQL 17, the major the cluster runs (from npm unless a DATABASE_URL is set)', async () => {
    const client = new pg.Client(db.url);
    await client.connect();
    const { rows } = await client.query<{ server_version_num: string }>('show server_version_num');
    await client.end();
    expect(Math.floor(Number(rows[0].server_version_num) / 10_000)).toBe(17);
  });

  it('gives each caller its own database, gone after stop()', async () => {
    const other = await startPostgres();
    expect(other.url).not.toBe(db.url);
    const client = new pg.Client(other.url);
    await client.connect();
    const { rows } = await client.query<{ n: number }>("select count(*)::int as n from pg_tables where tablename = 'notes'");
    await client.end();
    expect(rows[0].n).toBe(0);

    await other.stop();
    const gone = new pg.Client({ connectionString: other.url, connectionTimeoutMillis: 3_000 });
    await expect(gone.connect()).rejects.toThrow();
    await gone.end().catch(() => {});
  });
});
