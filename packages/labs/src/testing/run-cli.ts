import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { CLI } from './fixture-repo';

export const TSX_CLI = createRequire(import.meta.url).resolve('tsx/cli');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the labs CLI as a learner's npm script would (Node 24 + tsx), without a TTY. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, onStart?: (child: ChildProcess) => void): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX_CLI, CLI, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    onStart?.(child);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
