export { type Browser, launchBrowser, type Page } from './browser/launch';
export { responseJson } from './http/response-json';
export { type SilentServer, startSilentServer } from './http/silent-server';
export { freePort } from './ports';
export { startPostgres } from './postgres/start-postgres';
export type { TestPostgres } from './postgres/types';
export { type ProcessExit, type StartedProcess, startProcess } from './process/start-process';
export { type StartedTerminal, startTerminal } from './terminal/start-terminal';
export { descendants, isAlive, listeningSockets, socketInodesOf } from '@ffk/process-kit';
