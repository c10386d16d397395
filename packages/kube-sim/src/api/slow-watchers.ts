// A watcher that does not read must not make the simulator hold every event for it. As the API
// server's watch cache does (a bounded buffer per watcher; one that stays full past a timeout is
// terminated), a watch whose unsent bytes stay over the soft bound for longer than the grace
// period, or reach the hard bound at all, is closed; the client re-lists and watches again.
import type { ServerResponse } from 'node:http';

export interface WatchBufferLimits {
  /** unsent bytes above which the grace period starts */
  softBytes: number;
  /** how long a watcher may stay above softBytes before it is dropped */
  graceMs: number;
  /** unsent bytes at which it is dropped at once */
  hardBytes: number;
}

export const WATCH_BUFFER_LIMITS: WatchBufferLimits = { softBytes: 1024 * 1024, graceMs: 5000, hardBytes: 16 * 1024 * 1024 };

/**
 * Returns the watch's writer: it writes while the client keeps up and calls `drop` (once) when
 * the client has fallen behind for good. Bursts a reading client catches up with are fine.
 */
export function boundedWatchWriter(
  res: ServerResponse,
  drop: (reason: string) => void,
  limits = WATCH_BUFFER_LIMITS,
): { write(text: string): void; stop(): void } {
  let behindSince: NodeJS.Timeout | undefined;
  let dropped = false;
  const stop = () => {
    clearTimeout(behindSince);
    behindSince = undefined;
  };
  const giveUp = (reason: string) => {
    if (dropped) return;
    dropped = true;
    stop();
    drop(reason);
  };
  res.on('drain', stop);
  return {
    write(text) {
      if (dropped || res.destroyed) return;
      res.write(text);
      const pending = res.writableLength;
      if (pending >= limits.hardBytes) return giveUp(`${pending} bytes unsent`);
      if (pending > limits.softBytes && !behindSince) {
        behindSince = setTimeout(() => giveUp(`more than ${limits.softBytes} bytes unsent for ${limits.graceMs} ms`), limits.graceMs);
        behindSince.unref();
      }
    },
    stop,
  };
}
