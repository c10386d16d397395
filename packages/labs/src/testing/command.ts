import { execFileSync } from 'node:child_process';

/** Whether a command runs and exits 0 here: decides which branch a machine-dependent test asserts. */
export function commandSucceeds(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
