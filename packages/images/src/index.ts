export { ADDED_BYTES_BUDGET, APP_IMAGES, IMAGE_TAG } from './images';
export type { AppImage } from './images';
export { findBuilder } from './docker/engine';
export type { Builder, EngineProbe } from './docker/engine';
export { runCommand, mustRun, CommandError } from './docker/run';
export { buildImage, requireBuilder, ImageBuildError } from './build/build-image';
export type { BuildRequest, BuildResult } from './build/build-image';
export { stepPrinter } from './build/progress';
export { ensurePostgresImage, postgresImage } from './postgres/stand-in-postgres';
