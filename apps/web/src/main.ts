import { createLogger, loadConfig, runService, vars } from '@ffk/service-kit';
import { createApp } from './app';

const config = loadConfig('web', {
  PORT: vars.port(8080),
  CATALOG_URL: vars.httpUrl('http://catalog'),
  UPSTREAM_TIMEOUT_MS: vars.milliseconds(2000),
  POD_NAME: vars.optionalText('the pod name (set by Kubernetes)'),
  LOG_LEVEL: vars.logLevel(),
});
const logger = createLogger({ name: 'web', level: config.LOG_LEVEL });

await runService({
  logger,
  port: config.PORT,
  app: () => createApp({ catalogUrl: config.CATALOG_URL, upstreamTimeoutMs: config.UPSTREAM_TIMEOUT_MS, logger, podName: config.POD_NAME }),
});
