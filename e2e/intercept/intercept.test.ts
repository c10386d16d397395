// Issue 6's "done when": `ffk intercept catalog` end to end on kube-sim with the kit's own
// manifests, seen the way a developer sees it: the storefront through its NodePort, a local
// catalog under `tsx watch` whose banner they edit, Ctrl-C, `ffk uninstall`, a personal
// intercept beside everyone else's traffic, and a CLI that dies without cleaning up. (The catalog's own
// `npm run dev` watcher, service-dev, runs under the benchmark and in lab 3.)
import { defined } from '@ffk/test-kit';
import type { V1Deployment } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  desiredState,
  type Ffk,
  ffk,
  ffkDone,
  getObject,
  isLocal,
  type Kit,
  type LocalCatalog,
  localCatalog,
  startKit,
  viewStorefront,
  waitForStorefront,
} from './kit';

describe('ffk intercept catalog on kube-sim, through the storefront', { timeout: 180_000 }, () => {
  let kit: Kit & { stop(): Promise<void> };
  let catalog: LocalCatalog;
  const started: Ffk[] = [];
  const intercept = (...extra: string[]) => {
    const run = ffk(kit, ['intercept', 'catalog', '--port', String(catalog.port), ...extra, '--', ...catalog.command]);
    started.push(run);
    return run;
  };
  const podOf = async (app: string) =>
    (
      JSON.parse(await kit.kubectl('get', 'pods', '-l', `app.kubernetes.io/name=${app}`, '-o', 'json')) as {
        items: { metadata: { name: string; deletionTimestamp?: string } }[];
      }
    ).items
      .filter((p) => !p.metadata.deletionTimestamp)
      .map((p) => p.metadata.name);
  const fromCluster = (servedBy: string | null) => servedBy !== null && !isLocal(servedBy);
  const setStorefrontUpstreamTimeout = async (kit: Kit, ms: string | undefined) => {
    await kit.kubectl('set', 'env', 'deployment/web', ms === undefined ? 'UPSTREAM_TIMEOUT_MS-' : `UPSTREAM_TIMEOUT_MS=${ms}`);
    await kit.kubectl('rollout', 'status', 'deployment/web', '--timeout=120s');
  };

  beforeAll(async () => {
    [kit, catalog] = await Promise.all([startKit(), localCatalog('tsx watch')]);
  });

  afterAll(async () => {
    for (const run of started) run.killAll();
    catalog?.remove();
    await kit?.stop();
  });

  describe('a global intercept with tsx watch', () => {
    let run: Ffk;
    let before: { deployment: unknown; service: unknown };
    let clusterView: Awaited<ReturnType<typeof viewStorefront>>;

    // The storefront gives up on the catalog after 2 s and shows its fallback banner; a `tsx watch`
    // restart under a loaded CI machine can take longer. What is checked here is that ffk holds
    // requests while the local port is closed, so the storefront waits longer in this describe.
    beforeAll(() => setStorefrontUpstreamTimeout(kit, '15000'));
    afterAll(() => setStorefrontUpstreamTimeout(kit, undefined));

    it('shows the local banner on the storefront, with the badge "local"', async () => {
      before = { deployment: await desiredState(kit, 'deployment', 'catalog'), service: await desiredState(kit, 'service', 'catalog') };
      clusterView = await viewStorefront(kit);
      catalog.setBanner('Served from my laptop');
      run = intercept();
      const view = await waitForStorefront(kit, (v) => isLocal(v.servedBy.banner), { timeoutMs: 120_000 });
      expect(view.banner).toBe('Served from my laptop');
      expect(view.servedBy.banner).toMatch(/^local \(.+\)$/);
      expect(run.output()).toMatch(/✓ intercepting catalog port http \(3000\)/);
    });

    it("reads the cluster's PostgreSQL and calls the cluster's inventory through the imported environment", async () => {
      const [inventoryPod] = await podOf('inventory');
      const view = await viewStorefront(kit);
      expect(isLocal(view.servedBy.products)).toBe(true);
      // The same products and stock as the cluster's own catalog shows.
      expect(view.products).toBeGreaterThan(0);
      expect([view.products, view.inStock]).toEqual([clusterView.products, clusterView.inStock]);
      expect(view.servedBy.inventory).toBe(inventoryPod);
      // Reached through the CLI's own tunnels: DATABASE_URL and INVENTORY_URL were rewritten to them.
      expect(run.output()).toMatch(/postgres\.default:5432 → 127\.0\.0\.1:\d+/);
      expect(run.output()).toMatch(/inventory\.default:80 → 127\.0\.0\.1:\d+/);
      expect(run.output()).toMatch(/pointed at local tunnels: .*DATABASE_URL/);
    });

    it('shows an edit of the banner on the next page load, with no degraded page while tsx restarts', async () => {
      const seen: Awaited<ReturnType<typeof viewStorefront>>[] = [];
      const saved = performance.now();
      catalog.setBanner('Edited while intercepting');
      const view = await waitForStorefront(kit, (v) => v.banner === 'Edited while intercepting', { timeoutMs: 15_000, seen });
      console.log(`banner edit visible through the storefront after ${Math.round(performance.now() - saved)} ms (${seen.length} page loads)`);
      expect(isLocal(view.servedBy.banner)).toBe(true);
      // While the local process restarted, every page still had a banner: the old one or the new one.
      const degraded = seen.filter((v) => v.banner !== 'Served from my laptop' && v.banner !== 'Edited while intercepting');
      expect(degraded, `ffk's output:\n${run.output().slice(-3000)}`).toEqual([]);
    });

    it("brings the cluster's banner back on Ctrl-C; `ffk uninstall` restores the Deployment and Service exactly", async () => {
      const [catalogPod] = await podOf('catalog');
      run.child.kill('SIGINT');
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain('✓ left the intercept of catalog (Ctrl-C)');
      const view = await viewStorefront(kit);
      expect(view.servedBy.banner).toBe(catalogPod);
      expect(view.banner).not.toBe('Edited while intercepting');
      // The local catalog went with the CLI.
      await expect(fetch(`http://127.0.0.1:${catalog.port}/healthz`)).rejects.toThrow();

      const uninstall = await ffkDone(kit, ['uninstall', 'catalog']);
      expect(uninstall.code, uninstall.output).toBe(0);
      expect(uninstall.output).toMatch(/✓ catalog: agent removed, Deployment restored/);
      expect(await desiredState(kit, 'deployment', 'catalog')).toEqual(before.deployment);
      expect(await desiredState(kit, 'service', 'catalog')).toEqual(before.service);
    });
  });

  it("a personal intercept: the user's requests see the local catalog, everyone else's the cluster's, at the same time", async () => {
    const run = intercept('--user', 'alice');
    await waitForStorefront(kit, (v) => isLocal(v.servedBy.banner), { user: 'alice', timeoutMs: 120_000 });
    const [catalogPod] = await podOf('catalog');
    for (let round = 0; round < 5; round++) {
      const [alice, viaHeader, anyone] = await Promise.all([
        viewStorefront(kit, 'alice'),
        viewStorefront(kit, undefined, { 'x-ffk-user': 'alice' }),
        viewStorefront(kit),
      ]);
      expect([alice.servedBy.banner, alice.servedBy.products].every(isLocal)).toBe(true);
      expect(isLocal(viaHeader.servedBy.products)).toBe(true);
      expect([anyone.servedBy.banner, anyone.servedBy.products]).toEqual([catalogPod, catalogPod]);
    }
    const leave = await ffkDone(kit, ['leave', 'catalog']);
    expect(leave.code, leave.output).toBe(0);
    expect(await run.exited).toBe(0);
    expect(fromCluster((await viewStorefront(kit, 'alice')).servedBy.banner)).toBe(true);
    expect((await ffkDone(kit, ['uninstall', 'catalog'])).code).toBe(0);
  });

  it("SIGKILL of the CLI: the cluster's banner is back within 2 s; `ffk gc` removes the agent once its lease expired", async () => {
    const run = intercept('--lease-seconds', '5');
    await waitForStorefront(kit, (v) => isLocal(v.servedBy.banner), { timeoutMs: 120_000 });
    run.child.kill('SIGKILL');
    const killed = performance.now();
    await waitForStorefront(kit, (v) => fromCluster(v.servedBy.banner), { timeoutMs: 2000 });
    console.log(`cluster banner back ${Math.round(performance.now() - killed)} ms after SIGKILL of ffk`);
    run.killAll(); // the orphaned local catalog

    const leased = await getObject<V1Deployment>(kit, 'deployment', 'catalog');
    const expires = defined(leased.metadata?.annotations?.['ffk.dev/lease-expires'], 'the lease annotation');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(expires) - Date.now() + 100)));
    const gc = await ffkDone(kit, ['gc']);
    expect(gc.output).toContain('✓ removed the agent from catalog');
    const collected = await getObject<V1Deployment>(kit, 'deployment', 'catalog');
    expect(collected.spec?.template.spec?.containers.map((c) => c.name)).toEqual(['catalog']);
  });
});
