// A command run by `kubectl exec` in a process pod: on the host, with the container's environment
// and working directory, in its own process group on the simulator's lifeline. With a terminal
// (`-t`) it runs under util-linux's `script`, which gives it a pseudo-terminal without a native
// module; sizes are applied with `stty -F` on that terminal, and the kernel then sends SIGWINCH.
import { execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { spawnWithLifeline, type LifelineOptions } from '@ffk/process-kit';
import { findExecutable } from './find-executable';
import type { TerminalSize } from './remote-streams';

/** Where a process pod's container runs: what exec gives the command. */
export interface ProcessExecTarget {
  env: Record<string, string>;
  cwd?: string;
}

export interface RunningCommand {
  stdin: Writable | null;
  stdout: Readable;
  stderr: Readable | null;
  /** Resolves with the exit code once the command ended and its output is read. */
  exited: Promise<number>;
  resize(size: TerminalSize): void;
  /** Ends the command and whatever it started (the client hung up). */
  kill(): void;
}

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
const TTY_POLL_MS = 20;

function ended(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('error', () => resolve(126));
    // 'close': the exit code and every byte of output are in.
    child.once('close', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}

/** The pseudo-terminal's device, which the shell inside `script` writes to a file before anything else. */
function watchTtyName(file: string, child: ChildProcess, found: (path: string) => void): void {
  const poll = setInterval(() => {
    let name = '';
    try {
      name = readFileSync(file, 'utf8').trim();
    } catch {
      return;
    }
    if (!name) return;
    clearInterval(poll);
    rmSync(file, { force: true });
    found(name);
  }, TTY_POLL_MS);
  child.once('close', () => {
    clearInterval(poll);
    rmSync(file, { force: true });
  });
}

export function startProcessCommand(target: ProcessExecTarget, command: string[], options: { tty: boolean; size?: TerminalSize }): RunningCommand | { error: string } {
  const found = findExecutable(command[0], target.env, target.cwd);
  if ('error' in found) return found;
  const spawnOptions: Omit<LifelineOptions, 'env'> = { cwd: target.cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true, onLost: 'SIGKILL' };
  let child: ChildProcess;
  let resize: (size: TerminalSize) => void = () => {};
  if (!options.tty) {
    child = spawnWithLifeline(found.path, command.slice(1), { ...spawnOptions, env: target.env });
  } else {
    const ttyFile = join(tmpdir(), `kube-sim-tty-${randomBytes(8).toString('hex')}`);
    const size = options.size ? `stty cols ${options.size.width} rows ${options.size.height}; ` : '';
    const line = `tty > ${quote(ttyFile)}; ${size}exec ${[found.path, ...command.slice(1)].map(quote).join(' ')}`;
    // A container runtime sets TERM=xterm for a terminal unless the container sets it.
    child = spawnWithLifeline('script', ['-qfec', line, '/dev/null'], { ...spawnOptions, env: { TERM: 'xterm', ...target.env } });
    child.stderr?.resume(); // everything the command writes comes through the terminal, on stdout
    let device: string | undefined;
    let latest: TerminalSize | undefined;
    const apply = () => {
      if (device && latest) execFile('stty', ['-F', device, 'cols', String(latest.width), 'rows', String(latest.height)], () => {});
    };
    resize = (next) => {
      latest = next;
      apply();
    };
    watchTtyName(ttyFile, child, (path) => {
      device = path;
      if (latest && latest !== options.size) apply(); // a size that came while the terminal was opening
    });
  }
  return {
    stdin: child.stdin,
    stdout: child.stdout!,
    stderr: options.tty ? null : child.stderr,
    exited: ended(child),
    resize,
    kill() {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}
