// Runs a docker (or mmdebstrap, npm) command without a shell, streaming its output lines to a
// progress callback; a failure names the command and ends with the lines that explain it.
import { spawn } from 'node:child_process';

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Each line of stdout and stderr as it comes (build progress). */
  onLine?: (line: string) => void;
  /** Bytes written to stdin (e.g. a rootfs tarball is piped instead). */
  input?: NodeJS.ReadableStream;
  signal?: AbortSignal;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly result: RunResult,
  ) {
    const tail = `${result.stderr}\n${result.stdout}`.trim().split('\n').filter(Boolean).slice(-12).join('\n');
    super(`${command} exited ${result.code}${tail ? `:\n${tail}` : ''}`);
    this.name = 'CommandError';
  }
}

/** Runs `file args`, resolving with its output whatever the exit code (ENOENT is code 127, as in a shell). */
export function runCommand(file: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: [options.input ? 'pipe' : 'ignore', 'pipe', 'pipe'], signal: options.signal });
    const out: string[] = [];
    const err: string[] = [];
    const collect = (into: string[], stream: NodeJS.ReadableStream) => {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        into.push(chunk);
        if (!options.onLine) return;
        const lines = (partial + chunk).split('\n');
        partial = lines.pop()!;
        for (const line of lines) options.onLine(line);
      });
      stream.on('end', () => partial && options.onLine?.(partial));
    };
    collect(out, child.stdout!);
    collect(err, child.stderr!);
    if (options.input) options.input.pipe(child.stdin!);
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') resolve({ code: 127, stdout: '', stderr: `${file}: command not found` });
      else reject(error);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: out.join(''), stderr: err.join('') }));
  });
}

/** runCommand that throws CommandError unless the command exits 0. */
export async function mustRun(file: string, args: string[], options: RunOptions = {}): Promise<string> {
  const result = await runCommand(file, args, options);
  if (result.code !== 0) throw new CommandError(`${file} ${args.join(' ')}`, result);
  return result.stdout;
}
