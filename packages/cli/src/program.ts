import type { Command } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { baseProgram } from './cli-kit/run-program';
import { registerInterceptCommands } from './intercept/commands';
import { registerWorkloadCommands } from './workloads/commands';

const { version } = packageJson;

/**
 * The `ffk` commands every build has: intercepts and the agents in a namespace. The repository's
 * main.ts adds `ffk sim`; the installable bundle (published.ts) cannot run the simulator.
 */
export function buildProgram(out: (text: string) => void, err: (text: string) => void): Command {
  const program = baseProgram(out, err);
  const versionLine = `ffk ${version} (node ${process.version})\n`;
  program.version(versionLine.trimEnd(), '-v, --version', 'print the versions of ffk and of the Node.js running it');
  program
    .command('version')
    .description('print the versions of ffk and of the Node.js running it')
    .action(() => out(versionLine));
  registerInterceptCommands(program, out, err);
  registerWorkloadCommands(program, out, err);
  return program;
}
