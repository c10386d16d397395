export { type EmbeddedPostgres, startEmbeddedPostgres } from './database/embedded-postgres';
export { runDev } from './dev-command';
export { type LocalStack, type LocalStackOptions, startLocalStack } from './stack';
