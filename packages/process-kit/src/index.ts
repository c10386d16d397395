export { passOnLifeline, spawnWithLifeline, type LifelineOptions } from './lifeline/spawn';
export { endProcessGroup, watchLifeline } from './lifeline/watch.mjs';
export { findPostgresBinaries, type PostgresBinaries } from './postgres/binaries';
export { unprivilegedAccount, type Account } from './postgres/account';
