// The entry point of the installable bundle (build-cli.ts): every command but `ffk sim`, whose
// simulator runs the kit's own sources and so only from the repository.
import { endProcessGroup, watchLifeline } from '@ffk/process-kit/lifeline';
import { exitWith } from './cli-kit/errors';
import { runProgram, stdio } from './cli-kit/run-program';
import { buildProgram } from './program';

// Started on a lifeline (by a test, say), ffk ends with whatever started it, even when that is SIGKILLed.
watchLifeline(endProcessGroup);

const program = buildProgram(stdio.out, stdio.err);
program
  .command('sim', { hidden: true })
  .allowUnknownOption()
  .argument('[args...]')
  .action(() => {
    stdio.err("ffk: `ffk sim` runs from a clone of the fast-feedback-k8s repository (`npm run ffk -- sim start`): the simulator runs the kit's own sources\n");
    exitWith(1);
  });
program.addHelpText('after', '\nExample:\n  ffk intercept catalog --port 3000 -- npm run dev\n');
process.exitCode = await runProgram(program, process.argv.slice(2));
