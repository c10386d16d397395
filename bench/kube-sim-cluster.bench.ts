// The kit on kube-sim: time from `ffk sim start --detach` + `kubectl apply -k k8s/overlays/sim`
// to a storefront that answers with products, and `kubectl rollout restart deployment/catalog`
// until `rollout status` says done. Baseline from the same run: PostgreSQL plus the three
// services started directly as processes (no simulator), and a restart of catalog by hand.
// Writes bench/results/kube-sim-cluster.json and prints a table.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, startCliSim } from '../e2e/sim/sim-cli';
import { freePort, startPostgres } from '../packages/test-kit/src/index';

const here = dirname(fileURLToPath(import.meta.url));
const RESTARTS = 3;
const seconds = (ms: number) => +(ms / 1000).toFixed(2);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Polls `url` until it answers 200 with a body that `accept`s. */
async function answers(url: string, accept: (body: string) => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok && accept(await response.text())) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The storefront renders products: catalog and inventory behind it answered. */
const storefrontAnswers = (url: string) => answers(url, (html) => html.includes('data-testid="product"'));

async function onSimulator(): Promise<{ startDetachMs: number; applyMs: number; storefrontMs: number; restartsMs: number[] }> {
  const port = await freePort();
  const started = performance.now();
  const sim = await startCliSim(port);
  try {
    const startDetachMs = performance.now() - started;
    await sim.kubectl('apply', '-k', 'k8s/overlays/sim');
    const applyMs = performance.now() - started;
    await storefrontAnswers(`http://127.0.0.1:${port}/`);
    const storefrontMs = performance.now() - started;
    console.log(`  kube-sim: storefront answers ${seconds(storefrontMs)} s after ffk sim start`);
    await sim.kubectl('rollout', 'status', 'deployment/catalog', '--timeout=120s');
    const restartsMs: number[] = [];
    for (let i = 0; i < RESTARTS; i++) {
      // kubectl refuses a second restart within the same second (restartedAt has second precision).
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const restart = performance.now();
      await sim.kubectl('rollout', 'restart', 'deployment/catalog');
      await sim.kubectl('rollout', 'status', 'deployment/catalog', '--timeout=120s');
      restartsMs.push(performance.now() - restart);
      console.log(`  kube-sim: rollout restart ${i + 1}/${RESTARTS} in ${seconds(restartsMs[i])} s`);
    }
    return { startDetachMs, applyMs, storefrontMs, restartsMs };
  } finally {
    await sim.stop();
  }
}

function startService(app: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: join(repoRoot, 'apps', app),
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const stopped = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));

async function direct(): Promise<{ storefrontMs: number; restartsMs: number[] }> {
  const started = performance.now();
  const postgres = await startPostgres();
  const [web, catalog, inventory] = await Promise.all([freePort(), freePort(), freePort()]);
  const catalogEnv = { PORT: String(catalog), DATABASE_URL: postgres.url, INVENTORY_URL: `http://127.0.0.1:${inventory}` };
  const children = [
    startService('inventory', { PORT: String(inventory), DATABASE_URL: postgres.url }),
    startService('catalog', catalogEnv),
    startService('web', { PORT: String(web), CATALOG_URL: `http://127.0.0.1:${catalog}` }),
  ];
  try {
    await storefrontAnswers(`http://127.0.0.1:${web}/`);
    const storefrontMs = performance.now() - started;
    console.log(`  direct: storefront answers ${seconds(storefrontMs)} s after starting PostgreSQL`);
    const restartsMs: number[] = [];
    for (let i = 0; i < RESTARTS; i++) {
      const restart = performance.now();
      children[1].kill('SIGTERM');
      await stopped(children[1]);
      children[1] = startService('catalog', catalogEnv);
      await answers(`http://127.0.0.1:${catalog}/readyz`, () => true, 60_000);
      restartsMs.push(performance.now() - restart);
    }
    return { storefrontMs, restartsMs };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map(stopped));
    await postgres.stop();
  }
}

const sim = await onSimulator();
const baseline = await direct();
const result = {
  name: 'kube-sim-cluster',
  date: new Date().toISOString(),
  node: process.version,
  simulator: {
    startDetachMs: Math.round(sim.startDetachMs),
    applyDoneMs: Math.round(sim.applyMs),
    storefrontAnswersMs: Math.round(sim.storefrontMs),
    rolloutRestartCatalogMs: sim.restartsMs.map(Math.round),
    rolloutRestartCatalogMedianMs: Math.round(median(sim.restartsMs)),
  },
  baseline: {
    what: 'PostgreSQL (test-kit) + inventory, catalog, web as plain processes; restart = SIGTERM catalog, start it, until /readyz answers',
    storefrontAnswersMs: Math.round(baseline.storefrontMs),
    restartCatalogMs: baseline.restartsMs.map(Math.round),
    restartCatalogMedianMs: Math.round(median(baseline.restartsMs)),
  },
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'kube-sim-cluster.json'), `${JSON.stringify(result, null, 2)}\n`);
console.table({
  'start --detach + apply -k → storefront': { 'kube-sim s': seconds(sim.storefrontMs), 'direct processes s': seconds(baseline.storefrontMs) },
  [`restart catalog (median of ${RESTARTS})`]: { 'kube-sim s': seconds(median(sim.restartsMs)), 'direct processes s': seconds(median(baseline.restartsMs)) },
});
