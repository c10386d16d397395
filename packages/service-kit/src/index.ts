// The public API of @ffk/service-kit; README.md explains each piece.
export { ConfigError, loadConfig, parseConfig, vars, type ConfigOf, type EnvVar } from './config/env';
export { createLogger, type Logger, type LoggerOptions } from './logging/logger';
export { SERVED_BY_HEADER, servedBy } from './http/served-by';
export { createServiceApp, type ReadinessCheck, type ServiceAppOptions } from './http/service-app';
export { listen, runService, type RunningServer, type RunServiceOptions } from './http/lifecycle';
export { isPropagated, pickPropagated, propagatedHeaders, withPropagatedHeaders } from './propagation/context';
export { createUpstream, UpstreamError, type Upstream, type UpstreamFailure, type UpstreamOptions } from './propagation/upstream';
export { checkPostgres, createPool, waitForPostgres, type Pool, type PoolClient } from './postgres/pool';
export { migrate, type Migration } from './postgres/migrate';
