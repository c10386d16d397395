export type { BuildRequest, BuildResult } from './build/build-image';
export { buildImage, ImageBuildError, requireBuilder } from './build/build-image';
export { stepPrinter } from './build/progress';
export type { Builder, EngineProbe } from './docker/engine';
export { findBuilder } from './docker/engine';
export { CommandError, mustRun, runCommand } from './docker/run';
export type { AppImage } from './images';
export { ADDED_BYTES_BUDGET, APP_IMAGES, IMAGE_TAG } from './images';
export { ensurePostgresImage, postgresImage } from './postgres/stand-in-postgres';
