import { checkPostgres, createServiceApp, type Logger, type Pool } from '@ffk/service-kit';
import type { Express } from 'express';
import { stockRoutes } from './stock/routes';

export { migrations, SEED_STOCK } from './db/migrations';

export interface InventoryDeps {
  pool: Pool;
  logger: Logger;
  /** POD_NAME, for the x-ffk-served-by header. */
  podName?: string;
}

/** The inventory HTTP API; main.ts listens with it, tests call it on port 0. */
export function createApp({ pool, logger, podName }: InventoryDeps): Express {
  return createServiceApp({ logger, podName, readiness: { postgres: () => checkPostgres(pool) } }, stockRoutes(pool));
}
