// The child's side of a lifeline: a pipe whose write end only the parent holds and never writes
// to. When the parent exits, even by SIGKILL, the kernel closes that end and the read here sees
// end-of-file. Plain JavaScript: it is preloaded into processes (tsx watch) before any
// TypeScript loader exists.
import { Socket } from 'node:net';

export const LIFELINE_FD_ENV = 'FFK_LIFELINE_FD';

let inherited;

/** The lifeline this process was started with (its fd), or undefined. Read once: not for our own children's environment. */
export function inheritedLifeline() {
  if (inherited === undefined) {
    const fd = Number(process.env[LIFELINE_FD_ENV]);
    inherited = Number.isInteger(fd) && fd >= 3 ? fd : null;
    delete process.env[LIFELINE_FD_ENV];
  }
  return inherited ?? undefined;
}

const watchers = new Map(); // fd -> callbacks: one socket per fd (libuv opens an fd once)

/** Calls `onLost` once when the other end of the lifeline on `fd` closes. */
export function watchFd(fd, onLost) {
  let callbacks = watchers.get(fd);
  if (!callbacks) {
    watchers.set(fd, (callbacks = []));
    const pipe = new Socket({ fd, readable: true, writable: false });
    pipe.unref(); // must not keep this process alive by itself
    let lost = false;
    const lose = () => {
      if (lost) return;
      lost = true;
      callbacks.forEach((callback) => callback());
    };
    pipe.on('data', () => {});
    pipe.on('end', lose);
    pipe.on('close', lose);
    pipe.on('error', lose);
  }
  callbacks.push(onLost);
}

/** Calls `onLost` once when the parent's end of the lifeline closes. Returns false (and never calls) without a lifeline. */
export function watchLifeline(onLost) {
  const fd = inheritedLifeline();
  if (fd === undefined) return false;
  watchFd(fd, onLost);
  return true;
}

/**
 * Ends this process and, when it leads a process group, the whole group, at once: whoever read
 * our output is gone with the parent, so a graceful exit could block for good.
 */
export function endProcessGroup() {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    process.kill(process.pid, 'SIGKILL');
  }
}
