// What the dev runner (./watch.ts) and its processes (./child-hooks.ts) say to each other over IPC.

/** Set (to a JSON list of module URLs to load) on a standby process, which then waits for `go`. */
export const STANDBY_ENV = 'SERVICE_DEV_PRELOAD';

export type ChildMessage =
  /** one of our source files, loaded by the process: watched */
  | { type: 'source'; url: string }
  /** a package or Node module (node:http) imported by our sources: loaded ahead by the next standby */
  | { type: 'package'; url: string }
  /** a stopping service closed its listening socket: the next run can bind the port while it drains */
  | { type: 'released' };

export type RunnerMessage = { type: 'go' };

/** runService calls this once it stopped listening; a no-op unless a parent such as service-dev listens over IPC. */
export function announcePortReleased(): void {
  process.send?.({ type: 'released' } satisfies ChildMessage);
}
