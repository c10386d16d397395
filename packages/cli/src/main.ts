import { buildProgram, CommanderError } from './program';

/** Runs `ffk` with the given arguments and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram(
    (text) => process.stdout.write(text),
    (text) => process.stderr.write(text),
  );
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
