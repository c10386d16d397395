// @ffk/cluster port-forward, against a direct TCP connection to the same pod (the baseline,
// measured in the same run): connect time (resolve the newest Ready pod + open), echo round
// trips over one stream, and bulk download. Pods run in kube-sim (packages/cluster's test pod).
// Writes bench/results/cluster-portforward.json and prints a table.
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { nameOf, openPortForward, resolveReadyPods, waitForRollout } from '../packages/cluster/src/index';
import { createDeployments, deployment, startSimCluster } from '../packages/cluster/src/testing/sim-cluster';
import { percentile, round3 } from './shared/stats';

const here = dirname(fileURLToPath(import.meta.url));
const ROUND_TRIPS = 500;
const CONNECTS = 20;
const DOWNLOADS = 8; // of 8 MiB each
/** To the microsecond: round trips here are fractions of a millisecond. */
const stats = (values: number[]) => ({ p50_ms: round3(percentile(values, 50)), p95_ms: round3(percentile(values, 95)) });

async function echoRoundTrips(stream: Duplex): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const started = performance.now();
    stream.write('x');
    await once(stream, 'data');
    times.push(performance.now() - started);
  }
  return times;
}

async function download(open: () => Promise<Duplex>): Promise<number> {
  let bytes = 0;
  const started = performance.now();
  for (let i = 0; i < DOWNLOADS; i++) for await (const chunk of await open()) bytes += (chunk as Buffer).length;
  return +(bytes / 1024 / 1024 / ((performance.now() - started) / 1000)).toFixed(1);
}

const direct = async (host: string, port: number): Promise<Duplex> => {
  const socket = connect(port, host);
  await once(socket, 'connect');
  return socket;
};

const sim = await startSimCluster({ runtime: true });
try {
  const cluster = await sim.in('bench');
  const rolloutStarted = performance.now();
  await createDeployments(cluster, deployment('tcp', { image: 'ffk/tcp-pod:1' }));
  await waitForRollout(cluster, 'tcp', { onProgress: (p) => console.log(`  rollout: ${p.message}`) });
  const rollout_s = +((performance.now() - rolloutStarted) / 1000).toFixed(2);
  const [pod] = await resolveReadyPods(cluster.kc, 'bench', { app: 'tcp' });
  const name = nameOf(pod);
  const ip = pod.status?.podIP;
  if (!ip) throw new Error(`pod ${name} is Ready but has no podIP`);

  console.log(`  ${CONNECTS} connects (resolve newest Ready pod + open + first echo)…`);
  const connects: number[] = [];
  for (let i = 0; i < CONNECTS; i++) {
    const started = performance.now();
    const [ready] = await resolveReadyPods(cluster.kc, 'bench', { app: 'tcp' });
    const stream = await openPortForward(cluster.kc, 'bench', nameOf(ready), 7001);
    stream.write('x');
    await once(stream, 'data');
    connects.push(performance.now() - started);
    stream.destroy();
  }

  console.log(`  ${ROUND_TRIPS} echo round trips each way…`);
  const forwarded = await openPortForward(cluster.kc, 'bench', name, 7001);
  const viaForward = await echoRoundTrips(forwarded);
  forwarded.destroy();
  const socket = await direct(ip, 7001);
  const viaDirect = await echoRoundTrips(socket);
  socket.destroy();

  console.log(`  ${DOWNLOADS} × 8 MiB downloads each way…`);
  const bulkForward = await download(() => openPortForward(cluster.kc, 'bench', name, 7002));
  const bulkDirect = await download(() => direct(ip, 7002));

  const results = {
    rollout_s,
    connect_ms: stats(connects),
    round_trip_ms: { direct: stats(viaDirect), port_forward: stats(viaForward) },
    bulk_mb_s: { direct: bulkDirect, port_forward: bulkForward },
  };
  const out = join(here, 'results', 'cluster-portforward.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n${''.padEnd(22)} ${'direct'.padStart(10)} ${'port-forward'.padStart(13)}`);
  console.log(
    `${'round trip p50 ms'.padEnd(22)} ${String(results.round_trip_ms.direct.p50_ms).padStart(10)} ${String(results.round_trip_ms.port_forward.p50_ms).padStart(13)}`,
  );
  console.log(
    `${'round trip p95 ms'.padEnd(22)} ${String(results.round_trip_ms.direct.p95_ms).padStart(10)} ${String(results.round_trip_ms.port_forward.p95_ms).padStart(13)}`,
  );
  console.log(`${'bulk MiB/s'.padEnd(22)} ${String(bulkDirect).padStart(10)} ${String(bulkForward).padStart(13)}`);
  console.log(`connect p50 ${results.connect_ms.p50_ms} ms, p95 ${results.connect_ms.p95_ms} ms; first rollout ${rollout_s} s`);
  console.log(`\nwrote ${out}`);
} finally {
  await sim.stop();
}
