// What the dev runner (./watch.ts) and its processes (./child-hooks.ts) say to each other over IPC.

/** Set (to a JSON list of module URLs to load) on a standby process, which then waits for `go`. */
export const STANDBY_ENV = 'SERVICE_DEV_PRELOAD';

export type ChildMessage =
  /** one of our source files, loaded by the process: watched */
  | { type: 'source'; url: string }
  /** a package imported by our sources: loaded ahead by the next standby */
  | { type: 'package'; url: string }
  /** a standby has loaded its packages */
  | { type: 'warm' };

export type RunnerMessage = { type: 'go' };
