import { spawn, type ChildProcess } from 'node:child_process';

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
  /** SIGKILL if still running, then wait for the exit. For afterAll. */
  stop(): Promise<ProcessExit>;
}

/** A child process whose output is collected, for tests that run a program for real. */
export function startProcess(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): StartedProcess {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((check) => check());
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => ((stdout += chunk), notify()));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => ((stderr += chunk), notify()));
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('close', (code, signal) => {
      resolve({ code, signal, stdout, stderr });
      notify();
    });
  });
  const isRunning = () => child.exitCode === null && child.signalCode === null;

  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForOutput(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`no output matching ${pattern} within ${timeoutMs} ms`)), timeoutMs);
        const finish = (error?: Error, match?: RegExpMatchArray) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (match) resolve(match);
          else reject(new Error(`${error!.message}; stdout: ${stdout.slice(-2000)} stderr: ${stderr.slice(-2000)}`));
        };
        const check = () => {
          const match = stdout.match(pattern) ?? stderr.match(pattern);
          if (match) finish(undefined, match);
          else if (!isRunning()) finish(new Error(`process exited (code ${child.exitCode}, signal ${child.signalCode}) before printing ${pattern}`));
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (isRunning()) child.kill('SIGKILL');
      return exited;
    },
  };
}
