import { runProgram, stdio } from './cli-kit/run-program';
import { buildProgram } from './program';
import { registerSimCommands } from './sim/commands';

/** Runs `ffk` (from the repository: with `ffk sim`) and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram(stdio.out, stdio.err);
  registerSimCommands(program, stdio.out, stdio.err);
  program.addHelpText('after', '\nExamples:\n  ffk intercept catalog --port 3000 -- npm run dev\n  ffk sim start --detach\n');
  return runProgram(program, argv);
}
