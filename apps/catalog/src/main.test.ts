import { Agent, get } from 'node:http';
import { fileURLToPath } from 'node:url';
import { listen, type RunningServer } from '@ffk/service-kit';
import { responseJson, type StartedProcess, startPostgres, startProcess, type TestPostgres } from '@ffk/test-kit';
import { afterAll, describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const cleanups: Array<() => Promise<unknown> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** main.ts as a real process with exactly `env` (plus PATH), as Kubernetes would run it. */
function startMain(env: Record<string, string>): StartedProcess {
  const child = startProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: appDir, env: { PATH: process.env.PATH, ...env } });
  cleanups.push(() => child.stop());
  return child;
}

const VALID = { PORT: '0', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/shop', INVENTORY_URL: 'http://inventory' };

describe('main.ts configuration', () => {
  it('exits 1 with one line naming INVENTORY_URL when it is missing', async () => {
    const { code, stderr } = await startMain({ ...VALID, INVENTORY_URL: '' }).exited;
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual(['catalog: bad configuration: INVENTORY_URL is not set: expected an http(s) URL such as http://inventory']);
  });

  it('exits 1 with one line naming INVENTORY_TIMEOUT_MS when it is not a duration', async () => {
    const { code, stderr } = await startMain({ ...VALID, INVENTORY_TIMEOUT_MS: '2s' }).exited;
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^catalog: bad configuration: INVENTORY_TIMEOUT_MS="2s" is not valid: expected a whole number of milliseconds/),
    ]);
  });
});

describe('SIGTERM', () => {
  // 60 s: on a fresh machine the first start compiles every TypeScript file (~12 s there).
  it('lets an in-flight request finish, refuses new connections, then exits 0', { timeout: 60_000 }, async () => {
    const db: TestPostgres = await startPostgres();
    cleanups.push(() => db.stop());
    // A stand-in inventory that takes 1.5 s to answer keeps a catalog request in flight.
    let inventoryAsked!: () => void;
    const asked = new Promise<void>((resolve) => (inventoryAsked = resolve));
    const slowInventory: RunningServer = await listen(
      (req, res) => {
        // The catalog opens its connection to inventory at start (GET /healthz): answer that at once.
        if (req.url === '/healthz') return void res.setHeader('content-type', 'application/json').end('{"status":"ok"}');
        inventoryAsked();
        setTimeout(() => res.setHeader('content-type', 'application/json').end('{"items":[{"sku":"KTL-GOOSE-1L","quantity":9}]}'), 1_500);
      },
      { port: 0, host: '127.0.0.1' },
    );
    cleanups.push(() => slowInventory.close(100));

    const catalog = startMain({ ...VALID, DATABASE_URL: db.url, INVENTORY_URL: slowInventory.url, INVENTORY_TIMEOUT_MS: '5000', POD_NAME: 'catalog-test' });
    const [, port] = await catalog.waitForOutput(/"port":(\d+).*"msg":"listening"/, 30_000);
    const base = `http://127.0.0.1:${port}`;

    // An idle keep-alive connection must not hold the shutdown up.
    const keepAlive = new Agent({ keepAlive: true });
    cleanups.push(() => keepAlive.destroy());
    await new Promise<void>((resolve, reject) => get(`${base}/healthz`, { agent: keepAlive }, (res) => res.resume().on('end', resolve)).on('error', reject));

    const inFlight = fetch(`${base}/products`);
    await asked;
    const signalledAt = Date.now();
    catalog.child.kill('SIGTERM');
    await catalog.waitForOutput(/shutting down/);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();

    const response = await inFlight;
    expect(response.status).toBe(200);
    const body = await responseJson<{ inventory: unknown; products: { sku: string; stock: number | null }[] }>(response);
    expect(body.inventory).toEqual({ ok: true, servedBy: null });
    expect(body.products.find((product) => product.sku === 'KTL-GOOSE-1L')?.stock).toBe(9);

    const exit = await catalog.exited;
    const shutdownMs = Date.now() - signalledAt;
    console.info(`SIGTERM to exit: ${shutdownMs} ms (in-flight request needed ~1500 ms)`);
    expect(exit.code).toBe(0);
    expect(shutdownMs).toBeLessThan(4_000);
    expect(exit.stdout).toMatch(/"msg":"stopped"/);
  });
});
