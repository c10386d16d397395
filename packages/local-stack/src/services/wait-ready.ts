export interface ReadyWatch {
  /** Resolves with how the process ended (tsx itself exiting: rare, it survives app crashes). */
  exited: Promise<string>;
  /** True once the app crashed while starting: the developer is fixing it, so stop the clock. */
  crashed(): boolean;
  timeoutMs: number;
  /** Ctrl-C while starting. */
  signal?: AbortSignal;
}

/** Polls a service's /readyz until it answers 200. */
export async function waitReady(url: string, watch: ReadyWatch): Promise<void> {
  // Set from a callback, so TypeScript must not narrow it to its initial null.
  let gone = null as string | null;
  void watch.exited.then((how) => (gone = how));
  const deadline = Date.now() + watch.timeoutMs;
  let last = 'no answer yet';
  while (watch.crashed() || Date.now() < deadline) {
    if (gone) throw new Error(`${gone} before it was ready (its log is above)`);
    watch.signal?.throwIfAborted();
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
      last = `/readyz answered ${response.status}: ${(await response.text()).slice(0, 200)}`;
    } catch {
      // Not listening yet (tsx is still compiling, or the app is starting).
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not ready after ${watch.timeoutMs / 1000}s (${last})`);
}
