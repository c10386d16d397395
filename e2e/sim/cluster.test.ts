// Issue 4's "done when": the kit's own manifests on kube-sim, end to end, as a learner's machine
// without a container engine would run them (CLI, kubectl, a browser, client-node, pg).
import { type AddressInfo, createServer, type Server } from 'node:net';
import { podProcesses } from '@ffk/kube-sim';
import { type Browser, freePort, isAlive, launchBrowser } from '@ffk/test-kit';
import { KubeConfig, PortForward } from '@kubernetes/client-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliSim, startCliSim } from './sim-cli';

const DEPLOYMENTS = ['postgres', 'inventory', 'catalog', 'web'];

interface PodJson {
  metadata: { name: string; deletionTimestamp?: string };
  status: { containerStatuses?: { restartCount: number }[] };
}

describe('the kit on kube-sim', { timeout: 120_000 }, () => {
  let sim: CliSim;
  let storefront: string;
  let browser: Browser;
  /** Names of an app's pods, leaving out those already terminating (they linger after a rollout, as in Kubernetes). */
  const podNames = async (app: string) =>
    (JSON.parse(await sim.kubectl('get', 'pods', '-l', `app.kubernetes.io/name=${app}`, '-o', 'json')) as { items: PodJson[] }).items
      .filter((p) => !p.metadata.deletionTimestamp)
      .map((p) => p.metadata.name);

  beforeAll(async () => {
    const port = await freePort();
    storefront = `http://127.0.0.1:${port}/`;
    const started = Date.now();
    sim = await startCliSim(port);
    await sim.kubectl('apply', '-k', 'k8s/overlays/sim');
    for (const name of DEPLOYMENTS) await sim.kubectl('rollout', 'status', `deployment/${name}`, '--timeout=90s');
    console.log(`kube-sim: started, applied and rolled out ${DEPLOYMENTS.length} Deployments in ${Date.now() - started} ms`);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await sim?.stop();
  });

  it('serves the storefront through the node port: products, stock, banner and badges with pod names', async () => {
    const [catalogPod] = await podNames('catalog');
    const [inventoryPod] = await podNames('inventory');
    const page = await browser.newPage();
    await page.goto(storefront);
    expect(await page.getByTestId('product').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('product-stock').first().textContent()).toMatch(/\d+ in stock/);
    expect((await page.getByTestId('banner').textContent())?.trim()).not.toBe('');
    expect(await page.getByTestId('served-by-products').textContent()).toContain(catalogPod);
    expect(await page.getByTestId('served-by-inventory').textContent()).toContain(inventoryPod);
    await page.close();
  });

  it('restarts a killed catalog container (restartCount 1) and the storefront recovers', async () => {
    const [catalogPod] = await podNames('catalog');
    const [pid] = podProcesses(sim.dir, { hostname: catalogPod });
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    await sim.kubectl('wait', `pod/${catalogPod}`, '--for=jsonpath={.status.containerStatuses[0].restartCount}=1', '--timeout=30s');
    await sim.kubectl('wait', `pod/${catalogPod}`, '--for=condition=Ready', '--timeout=60s');
    const page = await browser.newPage();
    await page.goto(storefront);
    expect(await page.getByTestId('served-by-products').textContent()).toContain(catalogPod);
    expect(await page.getByTestId('product').count()).toBeGreaterThan(0);
    await page.close();
  });

  it('rolls out a catalog restart under a steady request loop without a failed request', async () => {
    const [before] = await podNames('catalog');
    let stop = false;
    const results = { ok: 0, failed: [] as string[] };
    const loop = (async () => {
      while (!stop) {
        try {
          const response = await fetch(storefront, { signal: AbortSignal.timeout(5000) });
          const html = await response.text();
          if (response.status === 200 && html.includes('data-testid="product"')) results.ok++;
          else results.failed.push(`HTTP ${response.status}${html.includes('data-testid="product"') ? '' : ' without products'}`);
        } catch (error) {
          results.failed.push(String((error as Error).cause ?? error));
        }
      }
    })();
    await sim.kubectl('rollout', 'restart', 'deployment/catalog');
    await sim.kubectl('rollout', 'status', 'deployment/catalog', '--timeout=90s');
    stop = true;
    await loop;
    expect(results.failed).toEqual([]);
    expect(results.ok).toBeGreaterThan(20);
    const after = await podNames('catalog');
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);
  });

  it("shows catalog's JSON logs through kubectl logs", async () => {
    const lines = (await sim.kubectl('logs', 'deployment/catalog', '--tail=20')).trim().split('\n');
    const parsed = lines.map((line) => JSON.parse(line) as { msg?: string; name?: string });
    expect(parsed.length).toBeGreaterThan(0);
    expect(parsed.every((entry) => typeof entry.msg === 'string')).toBe(true);
  });

  it('port-forwards to PostgreSQL with client-node and answers a pg query', async () => {
    const [postgresPod] = await podNames('postgres');
    const kc = new KubeConfig();
    kc.loadFromFile(sim.kubeconfig);
    const forward = new PortForward(kc);
    // A local port whose every connection is a port-forward stream to the pod's 5432, like `kubectl port-forward`.
    const local: Server = createServer((socket) => {
      void forward.portForward('default', postgresPod, [5432], socket, null, socket).catch(() => socket.destroy());
    });
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    const client = new pg.Client({ host: '127.0.0.1', port: (local.address() as AddressInfo).port, user: 'ffk', password: 'ffk-course-only', database: 'ffk' });
    try {
      await client.connect();
      const { rows } = await client.query<{ products: string }>('select count(*) as products from products');
      expect(Number(rows[0].products)).toBeGreaterThan(0);
    } finally {
      await client.end().catch(() => {});
      await new Promise((resolve) => local.close(resolve));
    }
  });

  it('stops, leaving no process of the simulator or its pods', async () => {
    const before = podProcesses(sim.dir);
    expect(before.length).toBeGreaterThanOrEqual(DEPLOYMENTS.length); // postgres forks more
    await sim.stop();
    const deadline = Date.now() + 10_000;
    while ((isAlive(sim.pid) || podProcesses(sim.dir).length > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(sim.pid)).toBe(false);
    expect(podProcesses(sim.dir)).toEqual([]);
  });
});
