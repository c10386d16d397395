import type { ChildProcess, StdioOptions } from 'node:child_process';
import { spawnWithLifeline, withLifelinePreload } from '@ffk/process-kit';
import { defined } from '../defined';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface StartedProcess {
  child: ChildProcess;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout or stderr matches; rejects (with the output so far) on exit or timeout. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the process has exited. */
  exited: Promise<ProcessExit>;
  /** SIGKILL to its process group if still running, then wait for the exit. For afterAll. */
  stop(): Promise<ProcessExit>;
}

/**
 * The child on a lifeline in a process group of its own: it ends, with whatever it started in
 * that group, when the test process ends, even by SIGKILL. Node programs watch the lifeline
 * through a preload; any other program runs under the lifeline's keeper.
 */
function spawnTied(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv }): ChildProcess {
  const common = { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] satisfies StdioOptions, detached: true };
  const env = options.env ?? process.env;
  if (command !== process.execPath) return spawnWithLifeline(command, args, { ...common, env, onLost: 'SIGTERM' });
  return spawnWithLifeline(command, args, { ...common, env: withLifelinePreload(env), onLost: 'watches' });
}

/** A child process whose output is collected, for tests that run a program for real. */
export function startProcess(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): StartedProcess {
  const child = spawnTied(command, args, options);
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((check) => check());
  const out = defined(child.stdout, 'the stdout pipe of the process');
  const err = defined(child.stderr, 'the stderr pipe of the process');
  out.setEncoding('utf8').on('data', (chunk: string) => ((stdout += chunk), notify()));
  err.setEncoding('utf8').on('data', (chunk: string) => ((stderr += chunk), notify()));
  // Not 'close': that waits for the lifeline too, which a detached grandchild may still hold.
  const closed = (stream: NodeJS.ReadableStream) => new Promise((resolve) => stream.once('close', resolve));
  const exited = Promise.all([
    new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (code, signal) => resolve([code, signal]))),
    closed(out),
    closed(err),
  ]).then(([[code, signal]]) => {
    ended = true;
    notify();
    return { code, signal, stdout, stderr };
  });
  let ended = false;
  const isRunning = () => !ended;

  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForOutput(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`no output matching ${pattern} within ${timeoutMs} ms`)), timeoutMs);
        const finish = (outcome: RegExpMatchArray | Error) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (outcome instanceof Error) reject(new Error(`${outcome.message}; stdout: ${stdout.slice(-2000)} stderr: ${stderr.slice(-2000)}`));
          else resolve(outcome);
        };
        const check = () => {
          const match = stdout.match(pattern) ?? stderr.match(pattern);
          if (match) finish(match);
          else if (!isRunning()) finish(new Error(`process exited (code ${child.exitCode}, signal ${child.signalCode}) before printing ${pattern}`));
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (isRunning()) {
        try {
          process.kill(-defined(child.pid, 'the pid of the process'), 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }
      return exited;
    },
  };
}
