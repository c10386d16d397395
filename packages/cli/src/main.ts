import { buildProgram } from './program';
import { runProgram, stdio } from './cli-kit/run-program';

/** Runs `ffk` with the given arguments and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  return runProgram(buildProgram(stdio.out, stdio.err), argv);
}
