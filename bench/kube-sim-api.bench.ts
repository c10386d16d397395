// kube-sim API benchmark: `ffk sim start --detach` until it answers, then 1,000 ConfigMap creates
// and a watch that sees all of them, compared with the same 1,000 HTTPS round-trips to a bare
// node:https server (same certificate, same keep-alive client) measured in the same run.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { KubeConfig, Watch } from '@kubernetes/client-node';

const COUNT = 1000;
const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'packages', 'cli', 'bin', 'ffk.mjs');
const stateDir = mkdtempSync(join(tmpdir(), 'kube-sim-bench-'));
const run = promisify(execFile);
const ffk = (...args: string[]) => run(process.execPath, [bin, 'sim', ...args], { env: { ...process.env, FFK_SIM_DIR: stateDir } });

interface Target {
  url: string;
  ca: string;
  token: string;
}

/** POSTs `count` ConfigMaps one after another over one keep-alive connection; returns ms. */
async function postMany(target: Target, path: string, count: number, prefix: string): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: target.ca });
  const started = performance.now();
  for (let i = 0; i < count; i += 1) {
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${prefix}-${i}` }, data: { index: String(i) } });
    await new Promise<void>((resolve, reject) => {
      const req = request(
        `${target.url}${path}`,
        { method: 'POST', agent, headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`POST ${path} answered ${res.statusCode}`))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
  const elapsed = performance.now() - started;
  agent.destroy();
  return elapsed;
}

async function main(): Promise<void> {
  // 1. Start, detached, until it answers.
  const startedAt = performance.now();
  await ffk('start', '--detach');
  const startMs = performance.now() - startedAt;
  const kc = new KubeConfig();
  kc.loadFromFile(join(stateDir, 'kubeconfig'));
  const cluster = kc.getCurrentCluster();
  const token = kc.getCurrentUser()?.token;
  if (!cluster?.caData || !token) throw new Error('the simulator wrote a kubeconfig without a cluster CA or a token');
  const target: Target = { url: cluster.server, ca: Buffer.from(cluster.caData, 'base64').toString(), token };

  try {
    // 2. A watch from now, then 1,000 creates; the watch must see every one.
    let seen = 0;
    let allSeen!: () => void;
    const watchDone = new Promise<void>((resolve) => (allSeen = resolve));
    const watch = await new Watch(kc).watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: '0' },
      (type, object) => {
        const name = (object as { metadata?: { name?: string } }).metadata?.name ?? '';
        if (type === 'ADDED' && name.startsWith('bench-') && ++seen === COUNT) allSeen();
      },
      () => {},
    );
    const createsStarted = performance.now();
    const createMs = await postMany(target, '/api/v1/namespaces/default/configmaps', COUNT, 'bench');
    await watchDone;
    const watchMs = performance.now() - createsStarted;
    watch.abort();

    const listStarted = performance.now();
    const list = await new Promise<number>((resolve, reject) => {
      request(`${target.url}/api/v1/namespaces/default/configmaps`, { ca: target.ca, headers: { authorization: `Bearer ${target.token}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve((JSON.parse(Buffer.concat(chunks).toString()) as { items: unknown[] }).items.length));
      })
        .on('error', reject)
        .end();
    });
    const listMs = performance.now() - listStarted;

    // 3. Baseline: the same requests to a bare HTTPS server that only answers 201.
    const tls = { cert: readFileSync(join(stateDir, 'tls.crt')), key: readFileSync(join(stateDir, 'tls.key')) };
    const bare = createServer(tls, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(Buffer.concat(chunks));
      });
    });
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    const baselineMs = await postMany(
      { ...target, url: `https://127.0.0.1:${(bare.address() as AddressInfo).port}` },
      '/api/v1/namespaces/default/configmaps',
      COUNT,
      'bench',
    );
    bare.close();

    const result = {
      name: 'kube-sim-api',
      date: new Date().toISOString(),
      node: process.version,
      startDetachMs: Math.round(startMs),
      startTargetMs: 1000,
      creates: { count: COUNT, totalMs: Math.round(createMs), perOpMs: +(createMs / COUNT).toFixed(3) },
      watchSawAllMs: Math.round(watchMs),
      listMs: Math.round(listMs),
      listedItems: list,
      baseline: { what: `${COUNT} POSTs to a bare node:https server`, totalMs: Math.round(baselineMs), perOpMs: +(baselineMs / COUNT).toFixed(3) },
      overheadPerCreateMs: +((createMs - baselineMs) / COUNT).toFixed(3),
    };
    mkdirSync(join(here, 'results'), { recursive: true });
    writeFileSync(join(here, 'results', 'kube-sim-api.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.table({
      'ffk sim start --detach': { ms: result.startDetachMs, note: `target < ${result.startTargetMs} ms` },
      [`${COUNT} creates (kube-sim)`]: { ms: result.creates.totalMs, note: `${result.creates.perOpMs} ms each` },
      'watch saw all creates': { ms: result.watchSawAllMs, note: 'from the first create' },
      [`list ${list} configmaps`]: { ms: result.listMs, note: '' },
      [`${COUNT} POSTs (bare https baseline)`]: { ms: result.baseline.totalMs, note: `${result.baseline.perOpMs} ms each` },
    });
    if (startMs > 1000) console.log(`note: start took ${Math.round(startMs)} ms, over the 1 s target`);
  } finally {
    await ffk('stop');
    rmSync(stateDir, { recursive: true, force: true });
  }
}

await main();
