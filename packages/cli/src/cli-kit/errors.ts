// Every failure a user meets ends as ONE line on stderr and an exit code, never a stack trace.
import { isClusterError } from '@ffk/cluster/errors';
import { CommanderError } from 'commander';
import type { Print } from './output';

/** A problem with what the user typed or with the situation, already phrased for them. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Ends the command with this exit code (main() turns a CommanderError into the process exit code). */
export function exitWith(code: number): never {
  throw new CommanderError(code, 'ffk.exit', '');
}

/** Wraps a command action: known errors become `ffk: <line>` (or a JSON error object) and exit 1. */
export function action<A extends unknown[]>(
  err: Print,
  out: Print,
  json: (args: A) => boolean,
  run: (...args: A) => Promise<void> | void,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await run(...args);
    } catch (error) {
      if (error instanceof CommanderError) throw error;
      if (!(error instanceof UsageError) && !isClusterError(error)) throw error;
      const kind = isClusterError(error) ? error.kind : 'usage';
      const details = isClusterError(error) ? error.details : error.details;
      if (json(args)) out(`${JSON.stringify({ error: { kind, message: error.message, ...details } })}\n`);
      err(`ffk: ${error.message}\n`);
      exitWith(error instanceof UsageError ? error.exitCode : 1);
    }
  };
}
