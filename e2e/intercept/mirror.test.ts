// Issue 14's mirror mode end to end on kube-sim with the kit's manifests: `ffk intercept catalog
// --mirror` in a shared environment where taking traffic is not allowed. The storefront keeps
// showing the cluster's catalog, served by the cluster's pod, while the local catalog gets a copy
// of each request and ffk logs its answers; Ctrl-C and `ffk leave` leave nothing behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Ffk, ffk, ffkDone, type Kit, type LocalCatalog, localCatalog, startKit, viewStorefront } from './kit';

describe('ffk intercept catalog --mirror on kube-sim, through the storefront', { timeout: 180_000 }, () => {
  let kit: Kit;
  let catalog: LocalCatalog;
  const started: Ffk[] = [];
  const mirror = (...extra: string[]) => {
    const run = ffk(kit, ['intercept', 'catalog', '--port', String(catalog.port), '--mirror', ...extra, '--', ...catalog.command]);
    started.push(run);
    return run;
  };
  /** Lines ffk printed for copies the local catalog answered: `copy of GET /banner → 200 12 ms via <pod>`. */
  const copiesLogged = (run: Ffk) => run.output().match(/copy of GET \/(banner|products) → 200 \d+ ms via catalog-\S+/g) ?? [];
  /** The catalog's pod that answers: the one the agent's install rolled out. */
  const catalogPod = async () =>
    (
      JSON.parse(await kit.kubectl('get', 'pods', '-l', 'app.kubernetes.io/name=catalog', '-o', 'json')) as {
        items: { metadata: { name: string; deletionTimestamp?: string } }[];
      }
    ).items.filter((p) => !p.metadata.deletionTimestamp)[0].metadata.name;
  const localAnswers = async () => (await fetch(`http://127.0.0.1:${catalog.port}/banner`, { signal: AbortSignal.timeout(5000) })).ok;

  beforeAll(async () => {
    [kit, catalog] = await Promise.all([startKit(), localCatalog()]);
    catalog.setBanner('Only on my laptop');
  });

  afterAll(async () => {
    for (const run of started) run.killAll();
    catalog.remove();
    await kit.stop();
  });

  it("keeps the storefront on the cluster's catalog while the local catalog answers copies of its requests; Ctrl-C ends it", async () => {
    const run = mirror();
    await run.waitFor(/✓ intercepting catalog port http \(3000\) on catalog-\S+: mirror: the cluster answers every request/, 120_000);
    // The local catalog starts under its dev runner after the intercept is active.
    await expect.poll(localAnswers, { timeout: 60_000, interval: 200 }).toBe(true);

    const pod = await catalogPod();
    for (let round = 0; round < 5; round++) {
      const view = await viewStorefront(kit);
      expect([view.servedBy.banner, view.servedBy.products]).toEqual([pod, pod]);
      expect(view.banner).not.toBe('Only on my laptop');
      expect(view.products).toBeGreaterThan(0);
    }
    // Each page load made two catalog requests; their copies were answered locally and logged.
    await expect.poll(() => copiesLogged(run).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(10);
    expect(copiesLogged(run).some((line) => line.includes('/banner'))).toBe(true);
    expect(copiesLogged(run).some((line) => line.includes('/products'))).toBe(true);

    const status = await ffkDone(kit, ['status']);
    expect(status.output).toMatch(/DROPPED/);
    expect(status.output).toMatch(/catalog\s+default\s+ffk-sim\s+mirror\s+127\.0\.0\.1:\d+\s+1\s+\d+\s+\d+\s+\d+/);
    const list = await ffkDone(kit, ['list']);
    expect(list.output).toMatch(/mirror of all by \S+ \(\d+ copied, \d+ dropped\)/);

    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.output()).toMatch(/✓ left the mirror of catalog \(Ctrl-C\): \d+ copies were answered on your machine, \d+ dropped/);
    await expect(localAnswers()).rejects.toThrow(); // the local catalog went with ffk
    expect((await viewStorefront(kit)).servedBy.banner).toBe(pod);
    expect((await ffkDone(kit, ['status'])).output).toContain('no intercept runs on this machine');
  });

  it("a mirror of one user's requests beside everyone's: only that user's are copied; `ffk leave` ends it", async () => {
    const run = mirror('--user', 'alice');
    await run.waitFor(/✓ intercepting catalog .*: mirror: .*a copy of each request with x-ffk-user: alice/, 120_000);
    await expect.poll(localAnswers, { timeout: 60_000, interval: 200 }).toBe(true);

    const pod = await catalogPod();
    const before = copiesLogged(run).length;
    for (let round = 0; round < 3; round++) {
      const [alice, anyone] = await Promise.all([viewStorefront(kit, 'alice'), viewStorefront(kit)]);
      // Alice still sees the cluster: a mirror takes nothing.
      expect([alice.servedBy.banner, anyone.servedBy.banner]).toEqual([pod, pod]);
    }
    // Alice's three page loads made two catalog requests each; the anonymous ones were not copied.
    await expect.poll(() => copiesLogged(run).length - before, { timeout: 30_000 }).toBe(6);
    await new Promise((resolve) => setTimeout(resolve, 500)); // time for a stray copy to show, had one been made
    expect(copiesLogged(run).length - before).toBe(6);

    const leave = await ffkDone(kit, ['leave', 'catalog']);
    expect(leave.code, leave.output).toBe(0);
    expect(await run.exited).toBe(0);
    expect(run.output()).toMatch(/✓ left the mirror of catalog \(SIGTERM\)/);
    expect((await ffkDone(kit, ['list'])).output).not.toMatch(/mirror of/);
  });
});
