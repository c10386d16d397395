export { responseJson } from './http/response-json';
export { startSilentServer, type SilentServer } from './http/silent-server';
export { freePort } from './ports';
export { startPostgres } from './postgres/start-postgres';
export type { TestPostgres } from './postgres/types';
export { startProcess, type ProcessExit, type StartedProcess } from './process/start-process';
export { descendants, isAlive, listeningSockets, socketInodesOf } from '@ffk/process-kit';
export { startTerminal, type StartedTerminal } from './terminal/start-terminal';
export { launchBrowser, type Browser, type Page } from './browser/launch';
