// Shell-outs (docker, kind, skaffold, git, kubectl) go through zx. Quiet by default: a failing
// command's output is shown under the step that ran it, not interleaved with the progress lines.
import { $ as zx, ProcessOutput, type Shell as ZxShell } from 'zx/core';

export type Shell = ZxShell;

export function createShell(cwd: string, env: NodeJS.ProcessEnv = process.env, signal?: AbortSignal): Shell {
  return zx({ cwd, env, quiet: true, verbose: false, signal });
}

export interface FailureReport {
  /** One line: what failed. */
  reason: string;
  /** Output of the failed command, if it was one. */
  output?: string;
}

/** Turns anything a step threw into one reason line plus the command output, if any. */
export function describeFailure(error: unknown): FailureReport {
  if (error instanceof ProcessOutput) {
    const output = (error.stdall || `${error.stdout}${error.stderr}`).trimEnd();
    const lastLine = output.split('\n').filter(Boolean).at(-1) ?? '';
    const code = error.exitCode === null ? `signal ${error.signal}` : `exit code ${error.exitCode}`;
    return { reason: `command failed (${code})${lastLine ? `: ${lastLine.trim()}` : ''}`, output };
  }
  if (error instanceof Error) return { reason: error.message.split('\n')[0] ?? String(error) };
  return { reason: String(error) };
}

/** The last lines of a command's output, indented under the step. */
export function outputTail(output: string, lines = 30): string {
  const all = output.split('\n');
  const shown = all.slice(-lines);
  const skipped = all.length - shown.length;
  return [skipped > 0 ? `… ${skipped} earlier lines` : null, ...shown]
    .filter((line) => line !== null)
    .map((line) => `    │ ${line}`)
    .join('\n');
}
