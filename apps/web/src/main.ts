import { createLogger, loadConfig, runService, vars } from '@ffk/service-kit';
import { createApp } from './app';

const config = loadConfig('web', {
  PORT: vars.port(8080),
  // Unset in a pod (all interfaces); a container on the host's network sets it to a loopback address.
  HOST: vars.optionalText('the address to listen on'),
  CATALOG_URL: vars.httpUrl('http://catalog'),
  UPSTREAM_TIMEOUT_MS: vars.milliseconds(2000),
  POD_NAME: vars.optionalText('the pod name (set by Kubernetes)'),
  LOG_LEVEL: vars.logLevel(),
});
const logger = createLogger({ name: 'web', level: config.LOG_LEVEL });

await runService({
  logger,
  port: config.PORT,
  host: config.HOST,
  app: () => createApp({ catalogUrl: config.CATALOG_URL, upstreamTimeoutMs: config.UPSTREAM_TIMEOUT_MS, logger, podName: config.POD_NAME }),
});
