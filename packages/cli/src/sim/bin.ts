// `ffk sim …` on its own (packages/cli/bin/ffk.mjs picks it): the simulator commands need neither
// client-node nor the intercept code, so they start ~0.4 s sooner; the detached simulator's
// own process starts this way too. The commands are the same ones `ffk --help` lists.
import { baseProgram, runProgram, stdio } from '../cli-kit/run-program';
import { registerSimCommands } from './commands';

const program = baseProgram(stdio.out, stdio.err);
registerSimCommands(program, stdio.out, stdio.err);
process.exitCode = await runProgram(program, process.argv.slice(2));
