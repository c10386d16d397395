// A command run by `kubectl exec`: in a process pod, on the host with the container's environment
// and working directory; in a pod on the Docker engine, inside its container through `docker exec`
// (the CLI relays stdin, output, the exit code and terminal sizes itself). Either runs in its own
// process group on the simulator's lifeline. With a terminal
// (`-t`) it runs under util-linux's `script`, which gives it a pseudo-terminal without a native
// module; sizes are applied with `stty -F` on that terminal, and the kernel then sends SIGWINCH.
import { type ChildProcess, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { type LifelineOptions, shellQuote, spawnWithLifeline } from '@ffk/process-kit';
import { dockerSocketPath } from '../../runtime/containers/docker-engine';
import type { ExecTarget } from '../../runtime/process';
import { findExecutable } from './find-executable';
import type { TerminalSize } from './remote-streams';

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
    let name: string;
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

interface CommandLine {
  argv: string[];
  env: Record<string, string>;
  cwd?: string;
}

/** What runs on this machine for `command` in `target`, or why it cannot run. */
function commandLine(target: ExecTarget, command: string[], tty: boolean): CommandLine | { error: string } {
  if (target.kind === 'process') {
    const found = findExecutable(command[0], target.env, target.cwd);
    if ('error' in found) return found;
    return { argv: [found.path, ...command.slice(1)], env: target.env, cwd: target.cwd };
  }
  const hostEnv = process.env as Record<string, string>;
  const docker = findExecutable('docker', hostEnv, undefined);
  if ('error' in docker) return { error: "the docker CLI is not on the simulator's PATH: install it (docker.io) to exec in containers" };
  const socket = dockerSocketPath();
  return {
    argv: [docker.path, 'exec', '-i', ...(tty ? ['-t'] : []), target.id, ...command],
    env: { ...hostEnv, ...(socket ? { DOCKER_HOST: `unix://${socket}` } : {}) },
  };
}

export function startCommand(target: ExecTarget, command: string[], options: { tty: boolean; size?: TerminalSize }): RunningCommand | { error: string } {
  const line = commandLine(target, command, options.tty);
  if ('error' in line) return line;
  const spawnOptions: Omit<LifelineOptions, 'env'> = { cwd: line.cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true, onLost: 'SIGKILL' };
  let child: ChildProcess;
  let resize: (size: TerminalSize) => void = () => {};
  if (!options.tty) {
    child = spawnWithLifeline(line.argv[0], line.argv.slice(1), { ...spawnOptions, env: line.env });
  } else {
    const ttyFile = join(tmpdir(), `kube-sim-tty-${randomBytes(8).toString('hex')}`);
    const size = options.size ? `stty cols ${options.size.width} rows ${options.size.height}; ` : '';
    const shell = `tty > ${shellQuote(ttyFile)}; ${size}exec ${line.argv.map(shellQuote).join(' ')}`;
    // A container runtime sets TERM=xterm for a terminal unless the container sets it.
    child = spawnWithLifeline('script', ['-qfec', shell, '/dev/null'], { ...spawnOptions, env: { TERM: 'xterm', ...line.env } });
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
    stdout: child.stdout as Readable, // stdio is piped
    stderr: options.tty ? null : child.stderr,
    exited: ended(child),
    resize,
    kill() {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}
