// The parent's side of a lifeline: every child gets the read end of a pipe on fd 3 (named in
// FFK_LIFELINE_FD) whose other end only this process holds. Children that watch it (see
// watch.mjs) end when this process ends, however it ends, SIGKILL included.
import { type ChildProcess, spawn, type SpawnOptions, type StdioOptions } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { inheritedLifeline, LIFELINE_FD_ENV } from './watch.mjs';

const LIFELINE_FD = 3;
const keeper = fileURLToPath(new URL('./keeper.mjs', import.meta.url));
const preload = fileURLToPath(new URL('./preload.mjs', import.meta.url));

export interface LifelineOptions extends SpawnOptions {
  /**
   * How the program learns that we are gone: 'watches' for a Node program that watches the
   * lifeline itself (our own code, or `--import @ffk/process-kit/lifeline-preload`); a signal
   * for any other program, which then runs under a small Node keeper that sends it that signal
   * (then SIGKILL after 5 s). The keeper also takes `uid`/`gid` and applies them to the program only.
   */
  onLost: 'watches' | NodeJS.Signals;
}

/** stdio for fds 0-2 as an array, with the lifeline (or `extra`) appended as fd 3. */
function withFd3(stdio: StdioOptions | undefined, extra: 'pipe' | number): StdioOptions {
  const first = Array.isArray(stdio) ? stdio.slice(0, 3) : Array.from({ length: 3 }, () => stdio ?? 'pipe');
  return [...first, extra] as StdioOptions;
}

/** `env` with the lifeline preload added to NODE_OPTIONS: for a Node child spawned with onLost 'watches'. */
export function withLifelinePreload(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --import ${JSON.stringify(preload)}`.trim() };
}

/** spawn(), with a lifeline tying the child to this process. */
export function spawnWithLifeline(command: string, args: readonly string[], options: LifelineOptions): ChildProcess {
  const { onLost, uid, gid, ...rest } = options;
  const env = rest.env ?? process.env;
  const child =
    onLost === 'watches'
      ? spawn(command, args, { ...rest, uid, gid, env: { ...env, [LIFELINE_FD_ENV]: String(LIFELINE_FD) }, stdio: withFd3(rest.stdio, 'pipe') })
      : spawn(process.execPath, [keeper, JSON.stringify({ command, args, uid, gid, stopSignal: onLost, fd: LIFELINE_FD })], {
          ...rest,
          env,
          stdio: withFd3(rest.stdio, 'pipe'),
        });
  const lifeline = child.stdio[LIFELINE_FD] as Readable | null;
  // We never write and never read; the open end is the whole message. It must not keep us alive.
  lifeline?.on('error', () => {});
  (lifeline as unknown as { unref?: () => void } | null)?.unref?.();
  return child;
}

/**
 * Spawn options that hand this process's own lifeline, if it has one, to a child meant to
 * outlive it (`ffk sim start --detach`): under a test that child still ends with the test,
 * while from a shell (no lifeline) it detaches for good.
 */
export function passOnLifeline(options: SpawnOptions): SpawnOptions {
  const fd = inheritedLifeline();
  if (fd === undefined) return options;
  return { ...options, stdio: withFd3(options.stdio, fd), env: { ...(options.env ?? process.env), [LIFELINE_FD_ENV]: String(LIFELINE_FD) } };
}
