import type { Command } from 'commander';
import { baseProgram } from './cli-kit/run-program';
import packageJson from '../package.json' with { type: 'json' };
import { registerInterceptCommands } from './intercept/commands';
import { registerSimCommands } from './sim/commands';
import { registerWorkloadCommands } from './workloads/commands';

const { version } = packageJson;

/**
 * The `ffk` command tree. Each capability registers its commands here; later issues add
 * intercept, leave, list, status, uninstall and gc.
 */
export function buildProgram(out: (text: string) => void, err: (text: string) => void): Command {
  const program = baseProgram(out, err);
  program
    .command('version')
    .description('print the versions of ffk and of the Node.js running it')
    .action(() => out(`ffk ${version} (node ${process.version})\n`));
  registerInterceptCommands(program, out, err);
  registerWorkloadCommands(program, out, err);
  registerSimCommands(program, out, err);
  program.addHelpText(
    'after',
    '\nExamples:\n  ffk intercept catalog --port 3000 -- npm run dev\n  ffk sim start --detach\n',
  );
  return program;
}

