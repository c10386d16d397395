import { checkPostgres, createServiceApp, type Logger, type Pool, type Upstream } from '@ffk/service-kit';
import { type Express, Router } from 'express';
import { banner } from './banner';
import { productRoutes } from './products/routes';

export { migrations, SEED_PRODUCTS } from './db/migrations';

export interface CatalogDeps {
  pool: Pool;
  logger: Logger;
  /** The inventory service (createUpstream with INVENTORY_URL and INVENTORY_TIMEOUT_MS). */
  inventory: Upstream;
  /** POD_NAME, for the x-ffk-served-by header. */
  podName?: string;
}

/** The catalog HTTP API; main.ts listens with it, tests call it on port 0. */
export function createApp({ pool, logger, inventory, podName }: CatalogDeps): Express {
  const routes = Router();
  routes.get('/banner', (_req, res) => void res.json(banner));
  routes.use(productRoutes(pool, inventory, logger));
  // Ready means "can serve products": PostgreSQL only. Inventory is deliberately not a readiness
  // dependency: the catalog degrades without it (stock null), and tying the two together would let
  // one slow inventory pod pull every catalog pod out of its Service.
  return createServiceApp({ logger, podName, readiness: { postgres: () => checkPostgres(pool) } }, routes);
}
