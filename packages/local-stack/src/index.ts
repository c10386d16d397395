export { runDev } from './dev-command';
export { startLocalStack, type LocalStack, type LocalStackOptions } from './stack';
export { startEmbeddedPostgres, type EmbeddedPostgres } from './database/embedded-postgres';
