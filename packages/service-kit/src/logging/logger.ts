import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  /** The service name, on every line. */
  name: string;
  /** pino level: fatal, error, warn, info (default), debug, trace or silent. */
  level?: string;
  /** Where lines go; stdout by default. Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
}

/** One JSON object per line on stdout, the format `kubectl logs` and log collectors expect. */
export function createLogger({ name, level = 'info', destination }: LoggerOptions): Logger {
  return pino({ name, level, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
