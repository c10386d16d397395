import type { Logger } from 'pino';
import type { Pool, PoolClient } from './pool';

/** One schema or seed step. `id`s are applied in the order given, once per service and database. */
export interface Migration {
  id: string;
  up(client: PoolClient): Promise<unknown>;
}

// One key for every service: catalog and inventory share a database and may start at the same
// moment; concurrent CREATE TABLE IF NOT EXISTS can still fail on PostgreSQL's catalog, so they
// take turns. The number is arbitrary ("FFK" in ASCII).
const MIGRATION_LOCK = 0x46464b;

/**
 * Most starts find every migration recorded already: one query says so, without a transaction or
 * the lock (five round trips fewer; each one crosses the intercept's tunnel when run locally).
 * A recorded migration was committed, so skipping is safe whatever else runs at the same time.
 */
async function allApplied(pool: Pool, service: string, migrations: Migration[]): Promise<boolean> {
  try {
    const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from ffk_migrations where service = $1 and id = any($2::text[])', [
      service,
      migrations.map((m) => m.id),
    ]);
    return rows[0]?.n === migrations.length;
  } catch {
    return false; // no bookkeeping table yet: the first start creates it under the lock
  }
}

/**
 * Applies the `migrations` of `service` not applied yet, in one transaction holding a
 * transaction-level advisory lock (released on commit, rollback or a dropped connection, so a
 * crash cannot leave it held). Returns the ids applied this time; running it again applies none.
 */
export async function migrate(pool: Pool, service: string, migrations: Migration[], logger?: Logger): Promise<string[]> {
  if (await allApplied(pool, service, migrations)) {
    logger?.info({ applied: [], alreadyApplied: migrations.length }, 'schema up to date');
    return [];
  }
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`create table if not exists ffk_migrations (
      service text not null, id text not null, applied_at timestamptz not null default now(),
      primary key (service, id))`);
    const { rows } = await client.query<{ id: string }>('select id from ffk_migrations where service = $1', [service]);
    const done = new Set(rows.map((row) => row.id));
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.id)) continue;
      await migration.up(client);
      await client.query('insert into ffk_migrations (service, id) values ($1, $2)', [service, migration.id]);
      applied.push(migration.id);
    }
    await client.query('commit');
    logger?.info({ applied, alreadyApplied: done.size }, applied.length ? 'migrations applied' : 'schema up to date');
    return applied;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw new Error(`migrating ${service} failed: ${(error as Error).message}`, { cause: error });
  } finally {
    client.release();
  }
}
