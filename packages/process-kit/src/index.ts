export { type LifelineOptions, passOnLifeline, spawnWithLifeline, withLifelinePreload } from './lifeline/spawn';
export { endProcessGroup, watchLifeline } from './lifeline/watch.mjs';
export { type Account, unprivilegedAccount } from './postgres/account';
export { findPostgresBinaries, type PostgresBinaries } from './postgres/binaries';
export { simulatorHoldingPort, stopSimulatorAdvice } from './processes/leftover-simulator';
export { type ListeningSocket, listeningSockets, socketInodesOf } from './processes/sockets';
export { descendants, isAlive } from './processes/tree';
export { shellQuote } from './shell/quote';
