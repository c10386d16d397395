import { hostname } from 'node:os';
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

export interface LoggerOptions {
  /** The service name, on every line. */
  name: string;
  /** pino level: fatal, error, warn, info (default), debug, trace or silent. */
  level?: string;
  /** Fields on every line besides the standard ones, e.g. { pod } for the intercept agent. */
  fields?: Record<string, unknown>;
  /** Where lines go; stdout by default. Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
}

/**
 * One JSON object per line on stdout, the format `kubectl logs` and log collectors expect. Every
 * process of the kit logs this one shape (the services and the intercept agent):
 * {"level":30,"time":"<ISO 8601>","pid":…,"hostname":…,"name":"catalog",…fields,"msg":"…"}.
 * This file imports nothing but pino, so the agent's small bundle can use it.
 */
export function createLogger({ name, level = 'info', fields = {}, destination }: LoggerOptions): Logger {
  return pino({ name, level, base: { pid: process.pid, hostname: hostname(), ...fields }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
