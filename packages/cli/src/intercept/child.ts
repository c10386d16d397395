// `-- <command…>`: the local process, with the imported env; its exit ends the intercept.
import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:os';
import { UsageError } from '../cli-kit/errors';

export interface LocalCommand {
  child: ChildProcess;
  /** exit code, 128 + signal number for a signal (as shells report it) */
  exited: Promise<number>;
  stop(): Promise<number>;
}

export function runLocalCommand(command: string[], env: Record<string, string>): Promise<LocalCommand> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env: { ...process.env, ...env } });
    const exited = new Promise<number>((done) => {
      child.once('exit', (code, signal) => done(code ?? 128 + (signal ? constants.signals[signal] : 0)));
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new UsageError(
          error.code === 'ENOENT' ? `cannot run "${command[0]}": command not found (check the words after --)` : `cannot run "${command[0]}": ${error.message}`,
        ),
      );
    });
    child.once('spawn', () =>
      resolve({
        child,
        exited,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
            const force = setTimeout(() => child.kill('SIGKILL'), 5000);
            const code = await exited;
            clearTimeout(force);
            return code;
          }
          return exited;
        },
      }),
    );
  });
}
