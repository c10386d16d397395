export { passOnLifeline, spawnWithLifeline, type LifelineOptions } from './lifeline/spawn';
export { endProcessGroup, watchLifeline } from './lifeline/watch.mjs';
export { findPostgresBinaries, type PostgresBinaries } from './postgres/binaries';
export { unprivilegedAccount, type Account } from './postgres/account';
export { listeningSockets, socketInodesOf, type ListeningSocket } from './processes/sockets';
export { descendants, isAlive } from './processes/tree';
export { simulatorHoldingPort, stopSimulatorAdvice } from './processes/leftover-simulator';
