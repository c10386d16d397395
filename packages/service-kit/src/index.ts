// The public API of @ffk/service-kit; README.md explains each piece.
export { ConfigError, type ConfigOf, type EnvVar, loadConfig, parseConfig, vars } from './config/env';
export { listen, type RunningServer, runService, type RunServiceOptions } from './http/lifecycle';
export { SERVED_BY_HEADER, servedBy } from './http/served-by';
export { createServiceApp, type ReadinessCheck, type ServiceAppOptions } from './http/service-app';
export { createLogger, type Logger, type LoggerOptions } from './logging/logger';
export { migrate, type Migration } from './postgres/migrate';
export { checkPostgres, createPool, type Pool, type PoolClient, waitForPostgres } from './postgres/pool';
export { isPropagated, pickPropagated, propagatedHeaders, withPropagatedHeaders } from './propagation/context';
export { createUpstream, type Upstream, UpstreamError, type UpstreamFailure, type UpstreamOptions } from './propagation/upstream';
