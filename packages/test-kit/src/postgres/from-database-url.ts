import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describeUrl, once, type TestPostgres } from './types';

async function asAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, uniquely named database on the server DATABASE_URL points at, dropped on stop(). */
export async function databaseOnServer(adminUrl: string): Promise<TestPostgres> {
  const name = `ffk_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    await asAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  } catch (error) {
    throw new Error(
      `DATABASE_URL is set (${describeUrl(adminUrl)}) but creating a test database there failed: ${(error as Error).message}. ` +
        'Point DATABASE_URL at a server where this user may CREATE DATABASE, or unset it to use local PostgreSQL binaries.',
      { cause: error },
    );
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    source: 'DATABASE_URL',
    // FORCE (PostgreSQL 13+) ends connections a test left open, so the drop cannot hang.
    stop: once(() => asAdmin(adminUrl, async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)))),
  };
}
