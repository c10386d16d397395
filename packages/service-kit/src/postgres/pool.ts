import pg from 'pg';
import type { Logger } from 'pino';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

/**
 * A pg Pool for DATABASE_URL. Connecting gives up after a few seconds (so /readyz and requests
 * fail fast when PostgreSQL is down), and errors of idle clients are logged instead of crashing.
 */
export function createPool(url: string, logger: Logger, options: { max?: number } = {}): Pool {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, connectionTimeoutMillis: 3_000, idleTimeoutMillis: 30_000 });
  pool.on('error', (error) => logger.warn({ err: error }, 'idle PostgreSQL connection failed'));
  return pool;
}

/** Readiness check: resolves when PostgreSQL answers a query. */
export async function checkPostgres(pool: Pool): Promise<void> {
  await pool.query('select 1');
}

/** Where the pool points, without the password, for messages. */
function target(pool: Pool): string {
  const { connectionString, host = 'localhost', port = 5432, database } = pool.options;
  // createPool passes a URL: the separate fields are then unset (pg's defaults are not the target).
  if (connectionString) {
    const url = new URL(connectionString);
    return `${url.hostname}:${url.port || 5432}${url.pathname}`;
  }
  return `${host}:${port}/${database ?? ''}`;
}

/**
 * At start, PostgreSQL may still be booting (a fresh cluster, a restarted pod): retry for a while,
 * saying what we wait for, rather than crash-looping.
 */
export async function waitForPostgres(pool: Pool, logger: Logger, { timeoutMs = 60_000, intervalMs = 1_000 } = {}): Promise<void> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      await checkPostgres(pool);
      if (attempt > 1) logger.info({ ms: Date.now() - started }, 'PostgreSQL answers');
      return;
    } catch (error) {
      const reason = (error as Error).message || (error as { code?: string }).code || String(error);
      if (Date.now() - started + intervalMs > timeoutMs) {
        throw new Error(`PostgreSQL at ${target(pool)} did not answer within ${Math.round(timeoutMs / 1000)} s: ${reason}`, { cause: error });
      }
      logger.info({ attempt, reason }, `waiting for PostgreSQL at ${target(pool)}`);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
