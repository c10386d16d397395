// Long-running helpers a lab starts for the learner and stops later, possibly from another lab
// (an intercept, skaffold dev): detached, their output in .ffk/labs/<name>.log and their pid in
// .ffk/labs/<name>.pid, so a quit runner leaves nothing it cannot find and stop again.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabContext } from '@ffk/labs';

const dirOf = (repoRoot: string) => join(repoRoot, '.ffk', 'labs');
export const logFile = (repoRoot: string, name: string) => join(dirOf(repoRoot), `${name}.log`);
const pidFile = (repoRoot: string, name: string) => join(dirOf(repoRoot), `${name}.pid`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function logTail(repoRoot: string, name: string, lines = 15): string {
  try {
    return readFileSync(logFile(repoRoot, name), 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .map((line) => `  │ ${line}`)
      .join('\n');
  } catch {
    return '';
  }
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** The command as the learner would type it, shown in the log; `command` and `args` when omitted. */
  shownAs?: string;
  /** Resolves once the process does what it is for; throws (with why) when it does not. */
  ready(): Promise<string>;
}

/** Starts a process in its own process group and waits for `ready`; stops it and says why when that fails. */
export async function startBackground(ctx: LabContext, options: StartOptions): Promise<string> {
  await stopBackground(ctx, options.name);
  mkdirSync(dirOf(ctx.repoRoot), { recursive: true });
  const log = openSync(logFile(ctx.repoRoot, options.name), 'w');
  const child = spawn(options.command, options.args, { cwd: ctx.repoRoot, env: options.env, detached: true, stdio: ['ignore', log, log] });
  child.unref();
  writeFileSync(pidFile(ctx.repoRoot, options.name), `${child.pid}\n`);
  ctx.log(`${options.shownAs ?? [options.command, ...options.args].join(' ')}  (pid ${child.pid}, output in .ffk/labs/${options.name}.log)`);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) =>
      reject(new Error(`${options.name} exited (${signal ?? `code ${code}`}) before it was ready:\n${logTail(ctx.repoRoot, options.name)}`)),
    ),
  );
  try {
    return await Promise.race([options.ready(), exited]);
  } catch (error) {
    await stopBackground(ctx, options.name);
    const tail = logTail(ctx.repoRoot, options.name);
    const message = (error as Error).message;
    throw new Error(message.includes('│') || !tail ? message : `${message}\n${tail}`, { cause: error });
  }
}

/**
 * Stops it the way a learner would, with Ctrl-C (SIGINT to its process group), so it can clean
 * up (an intercept leaves, skaffold stops watching); SIGKILL after 15 s. False when none ran.
 */
export async function stopBackground(ctx: LabContext, name: string): Promise<boolean> {
  const file = pidFile(ctx.repoRoot, name);
  if (!existsSync(file)) return false;
  const pid = Number(readFileSync(file, 'utf8'));
  rmSync(file, { force: true });
  if (!pid || !alive(pid)) return false;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // Already gone.
    }
  };
  signal('SIGINT');
  for (let waited = 0; waited < 15_000 && alive(pid); waited += 100) await sleep(100);
  if (alive(pid)) {
    ctx.log(`${name} (pid ${pid}) did not stop on Ctrl-C within 15 s: killed`);
    signal('SIGKILL');
  }
  return true;
}

/** Names of the background processes the labs started that are still recorded. */
export function runningBackground(repoRoot: string): string[] {
  if (!existsSync(dirOf(repoRoot))) return [];
  return readdirSync(dirOf(repoRoot))
    .filter((file) => file.endsWith('.pid'))
    .map((file) => file.slice(0, -'.pid'.length))
    .filter((name) => alive(Number(readFileSync(pidFile(repoRoot, name), 'utf8'))));
}
