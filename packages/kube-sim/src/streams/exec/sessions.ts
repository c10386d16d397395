// What runs once the client's streams are open: an exec'd command, or an attach to the
// container's main process; both end with the Status on the error stream.
import type { Readable, Writable } from 'node:stream';
import type { ContainerRunner } from '../../runtime/container-runner';
import type { LogLine } from '../../runtime/logs';
import type { RemoteCommandOptions } from './options';
import { startCommand } from './run-command';
import type { RemoteStreams, TerminalSize } from './remote-streams';
import { internalError, nonZeroExit, success } from './status';

/** kubectl sends its terminal's size right after connecting; a command started before would see 0 × 0. */
const FIRST_SIZE_WAIT_MS = 500;

function firstSize(streams: RemoteStreams): Promise<TerminalSize | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), FIRST_SIZE_WAIT_MS);
    streams.once('resize', (size) => {
      clearTimeout(timer);
      resolve(size);
    });
  });
}

/** Copies a command's output to the client; resolves once all of it is handed over. */
function relay(from: Readable | null, to: Writable | undefined): Promise<void> {
  if (!from) return Promise.resolve();
  if (!to) {
    from.resume();
    return new Promise((resolve) => from.once('close', resolve));
  }
  from.pipe(to);
  return new Promise((resolve) => {
    to.once('finish', resolve);
    to.once('error', () => resolve());
  });
}

export async function runExec(runner: ContainerRunner, options: RemoteCommandOptions, streams: RemoteStreams): Promise<void> {
  const size = options.tty ? await firstSize(streams) : undefined;
  const target = runner.execTarget;
  if (!target) return streams.finish(internalError(`error executing command in container: container "${runner.name}" is not running`));
  const command = startCommand(target, options.command, { tty: options.tty, size });
  if ('error' in command) return streams.finish(internalError(`error executing command in container: ${command.error}`));
  streams.on('resize', (next) => command.resize(next));
  streams.once('hangup', () => command.kill());
  command.stdin?.on('error', () => {}); // the command may exit without reading all its input
  if (streams.stdin && command.stdin) streams.stdin.pipe(command.stdin);
  else command.stdin?.end();
  const output = Promise.all([relay(command.stdout, streams.stdout), relay(command.stderr, streams.stderr)]);
  const exitCode = await command.exited;
  await output;
  streams.finish(exitCode === 0 ? success() : nonZeroExit(options.command, exitCode));
}

export function runAttach(runner: ContainerRunner, streams: RemoteStreams): void {
  const attached = runner.attachable;
  if (!attached) return streams.finish(internalError(`container "${runner.name}" is not running`));
  // The log keeps lines, so output reaches the client a line at a time.
  const onLine = (line: LogLine) => (line.stream === 'stderr' ? (streams.stderr ?? streams.stdout) : streams.stdout)?.write(`${line.text}\n`);
  const detach = () => {
    attached.log.off('line', onLine);
    attached.log.off('end', onEnd);
  };
  const onEnd = () => {
    detach();
    streams.finish(success());
  };
  attached.log.on('line', onLine);
  attached.log.on('end', onEnd);
  streams.once('hangup', detach);
  // The container's stdin stays open when the client detaches, as with a container's `stdinOnce: false`.
  if (streams.stdin && attached.stdin) streams.stdin.on('data', (chunk: Buffer) => attached.stdin!.write(chunk));
}
