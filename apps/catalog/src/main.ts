import { createLogger, createPool, createUpstream, loadConfig, migrate, runService, vars, waitForPostgres } from '@ffk/service-kit';
import { createApp } from './app';
import { migrations } from './db/migrations';

const config = loadConfig('catalog', {
  PORT: vars.port(3000),
  // Unset in a pod (all interfaces); a container on the host's network sets it to a loopback address.
  HOST: vars.optionalText('the address to listen on'),
  DATABASE_URL: vars.postgresUrl(),
  INVENTORY_URL: vars.httpUrl('http://inventory'),
  // Below web's default upstream timeout (2000 ms), so a slow inventory still lets the catalog
  // answer (degraded) before the storefront gives up on the catalog.
  INVENTORY_TIMEOUT_MS: vars.milliseconds(1_000),
  POD_NAME: vars.optionalText('the pod name'),
  LOG_LEVEL: vars.logLevel(),
});

const logger = createLogger({ name: 'catalog', level: config.LOG_LEVEL });
const pool = createPool(config.DATABASE_URL, logger);
const inventory = createUpstream({ name: 'inventory', baseUrl: config.INVENTORY_URL, timeoutMs: config.INVENTORY_TIMEOUT_MS });

await runService({
  logger,
  port: config.PORT,
  host: config.HOST,
  prepare: async () => {
    void inventory.warm(); // the first /products then finds a connection to inventory open
    await waitForPostgres(pool, logger);
    await migrate(pool, 'catalog', migrations, logger);
  },
  app: () => createApp({ pool, logger, inventory, podName: config.POD_NAME }),
  cleanup: [() => pool.end()],
});
