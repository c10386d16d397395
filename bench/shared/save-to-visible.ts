// Banner edits through an intercept, timed from save to visible: shared by intercept-e2e (against
// the local process) and outer-loop (against the outer loop's build + rollout).
import { ffk, isLocal, type Kit, type LocalCatalog, viewStorefront, waitForStorefront } from '../../e2e/intercept/kit';

export const EDITS = 20;
const round = (ms: number) => Math.round(ms);

/** Polls until `seen` says the text is there; resolves with the time since `since`. */
export async function until(since: number, seen: () => Promise<boolean>): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if (await seen()) return performance.now() - since;
    } catch {
      // between two processes: try again
    }
    if (Date.now() > deadline) throw new Error('the edit did not show within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function saveToVisible(kit: Kit, catalog: LocalCatalog): Promise<{ storefront: number[]; local: number[] }> {
  const run = ffk(kit, ['intercept', 'catalog', '--port', String(catalog.port), '--', ...catalog.command]);
  const storefront: number[] = [];
  const local: number[] = [];
  try {
    await waitForStorefront(kit, (v) => isLocal(v.servedBy.banner), { timeoutMs: 120_000 });
    for (let i = 1; i <= EDITS; i++) {
      const text = `Edit ${i} at ${Date.now()}`;
      const saved = performance.now();
      catalog.setBanner(text);
      // The same edit, watched both ways at once: through the cluster, and on the local port.
      const [viaStorefront, direct] = await Promise.all([
        until(saved, async () => (await viewStorefront(kit)).banner === text),
        until(
          saved,
          async () =>
            ((await (await fetch(`http://127.0.0.1:${catalog.port}/banner`, { signal: AbortSignal.timeout(5000) })).json()) as { text: string }).text === text,
        ),
      ]);
      storefront.push(viaStorefront);
      local.push(direct);
      console.log(`  edit ${i}/${EDITS}: storefront ${round(viaStorefront)} ms, local process ${round(direct)} ms`);
      await new Promise((resolve) => setTimeout(resolve, 300)); // let the restarted process settle, as between two saves
    }
    return { storefront, local };
  } finally {
    run.child.kill('SIGINT');
    await run.exited;
    run.killAll();
  }
}
