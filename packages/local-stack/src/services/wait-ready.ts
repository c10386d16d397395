/** Polls a service's /readyz until it answers 200; fails early when the process ends first. */
export async function waitReady(url: string, exited: Promise<string>, timeoutMs: number): Promise<void> {
  let gone: string | null = null;
  void exited.then((how) => (gone = how));
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (gone) throw new Error(`${gone} before it was ready (its log is above)`);
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
      last = `/readyz answered ${response.status}: ${(await response.text()).slice(0, 200)}`;
    } catch {
      // Not listening yet (tsx is still compiling, or the app is starting).
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not ready after ${timeoutMs / 1000}s (${last})`);
}
