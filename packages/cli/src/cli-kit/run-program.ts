import { Command, CommanderError } from 'commander';
import type { Print } from './output';

/** The `ffk` root command, before any capability registers its commands. */
export function baseProgram(out: Print, err: Print): Command {
  return new Command('ffk')
    .description('Fast local feedback with Kubernetes: run one service locally, the rest in the cluster.')
    .showHelpAfterError('(run `ffk --help` for the list of commands)')
    .configureOutput({ writeOut: out, writeErr: err })
    .exitOverride();
}

/** Parses and runs the arguments; resolves to the process exit code. */
export async function runProgram(program: Command, argv: string[]): Promise<number> {
  if (argv.length === 0) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    // Commander has already printed its one-line message (unknown command, missing argument).
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
}

/** Writes to the process's stdout and stderr. */
export const stdio = { out: (text: string) => void process.stdout.write(text), err: (text: string) => void process.stderr.write(text) };
