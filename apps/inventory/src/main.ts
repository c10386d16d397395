import { createLogger, createPool, loadConfig, migrate, runService, vars, waitForPostgres } from '@ffk/service-kit';
import { createApp } from './app';
import { migrations } from './db/migrations';

const config = loadConfig('inventory', {
  PORT: vars.port(3001),
  // Unset in a pod (all interfaces); a container on the host's network sets it to a loopback address.
  HOST: vars.optionalText('the address to listen on'),
  DATABASE_URL: vars.postgresUrl(),
  POD_NAME: vars.optionalText('the pod name'),
  LOG_LEVEL: vars.logLevel(),
});

const logger = createLogger({ name: 'inventory', level: config.LOG_LEVEL });
const pool = createPool(config.DATABASE_URL, logger);

await runService({
  logger,
  port: config.PORT,
  host: config.HOST,
  prepare: async () => {
    await waitForPostgres(pool, logger);
    await migrate(pool, 'inventory', migrations, logger);
  },
  app: () => createApp({ pool, logger, podName: config.POD_NAME }),
  cleanup: [() => pool.end()],
});
