import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Duplex } from 'node:stream';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type ClusterError,
  type LoadedKubeconfig,
  nameOf,
  openPortForward,
  type PortForwardEvent,
  reconnectingPortForward,
  resolveReadyPods,
  waitForRollout,
} from '../index';
import { createDeployments, deployment, type SimCluster, startSimCluster } from '../testing/sim-cluster';

// Real pods: the simulator runs testing/tcp-pod.ts as image ffk/tcp-pod, on its own pod IP.
// Everything between the test and that process is real: client-node's PortForward, the
// WebSocket, the simulator's port-forward and pod network.
let sim: SimCluster;
let cluster: LoadedKubeconfig;
const namespace = 'pf';
beforeAll(async () => {
  sim = await startSimCluster({ runtime: true });
  cluster = await sim.in(namespace);
  await createDeployments(cluster, deployment('tcp', { image: 'ffk/tcp-pod:1' }), deployment('agent', { image: 'ffk/tcp-pod:1', replicas: 2 }));
  await Promise.all([waitForRollout(cluster, 'tcp'), waitForRollout(cluster, 'agent')]);
}, 90_000);
afterAll(() => sim?.stop());

async function podOf(app: string): Promise<string> {
  const [pod] = await resolveReadyPods(cluster.kc, namespace, { app });
  return nameOf(pod);
}

/** Writes `text` and collects what comes back until `expected` bytes arrived. */
async function roundTrip(stream: Duplex, text: string, expected: string): Promise<string> {
  let received = '';
  const done = new Promise<string>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      if (received.length >= expected.length) resolve(received);
    });
    stream.on('error', reject);
  });
  stream.write(text);
  return done;
}

it('a Duplex to a pod port carries bytes both ways', async () => {
  const pod = await podOf('tcp');
  const stream = await openPortForward(cluster.kc, namespace, pod, 7001);
  expect(await roundTrip(stream, 'hello', `${pod}:hello`)).toBe(`${pod}:hello`);
  stream.end();
  await once(stream, 'close');
  expect(stream.closeCause).toBe('local');
});

it('a reader that stalls keeps our buffer bounded (the WebSocket pauses), and loses nothing', async () => {
  const stream = await openPortForward(cluster.kc, namespace, await podOf('tcp'), 7002);
  stream.pause();
  await once(stream, 'readable');
  await new Promise((r) => setTimeout(r, 500));
  expect(stream.readableLength).toBeLessThan(1024 * 1024);
  let total = 0;
  for await (const chunk of stream) total += (chunk as Buffer).length;
  expect(total).toBe(8 * 1024 * 1024);
  expect(stream.closeCause).toBe('remote');
});

it('writing to a pod that reads slowly waits instead of queueing everything in memory', async () => {
  // Large enough to exceed what loopback TCP buffers in the kernel on the way (a few MiB per socket).
  const size = 32 * 1024 * 1024;
  const stream = await openPortForward(cluster.kc, namespace, await podOf('tcp'), 7003);
  const totals = createInterface({ input: stream });
  const allArrived = new Promise<void>((resolve) => totals.on('line', (line) => Number(line) === size && resolve()));
  let accepted = 0;
  const chunk = Buffer.alloc(64 * 1024, 1);
  const writer = (async () => {
    for (let sent = 0; sent < size; sent += chunk.length) {
      if (!stream.write(chunk, () => (accepted += chunk.length))) await once(stream, 'drain');
    }
  })();
  await new Promise((r) => setTimeout(r, 500)); // the pod does not read for its first second
  expect(accepted).toBeLessThan(size / 2);
  await writer;
  await allArrived;
  stream.destroy();
});

it('a port nothing listens on destroys the stream with one line from the error channel; a missing pod is a 404', async () => {
  const pod = await podOf('tcp');
  const stream = await openPortForward(cluster.kc, namespace, pod, 7999);
  const [error] = (await once(stream, 'error')) as [ClusterError];
  expect(error.kind).toBe('port-forward');
  expect(error.message).toMatch(new RegExp(`^port-forward to pod pf/${pod} port 7999 failed: .*connection refused$`));
  await expect(openPortForward(cluster.kc, namespace, 'nope', 7001)).rejects.toThrow('pod "nope" not found in namespace "pf"');
});

it('the reconnecting factory moves to the newest Ready pod when its pod goes away, and reports it', async () => {
  const events: PortForwardEvent[] = [];
  const open = reconnectingPortForward(cluster.kc, { namespace, selector: { app: 'agent' }, port: 7001, initialDelayMs: 50, onEvent: (e) => events.push(e) });
  const first = await open();
  const newest = await podOf('agent');
  expect(await roundTrip(first, 'ping', `${newest}:ping`)).toBe(`${newest}:ping`);

  await cluster.kc.makeApiClient(CoreV1Api).deleteNamespacedPod({ name: newest, namespace });
  await once(first, 'close');
  const second = await open();
  const changed = events.find((e) => e.type === 'pod-changed');
  expect(changed).toMatchObject({ type: 'pod-changed', from: newest });
  const other = (changed as { to: string }).to;
  expect(other).not.toBe(newest);
  expect(await roundTrip(second, 'ping', `${other}:ping`)).toBe(`${other}:ping`);
  second.destroy();
  // In order: the first connection, its drop, a back-off (it died young), the move, the new connection.
  expect(events.map((e) => e.type)).toEqual(['connected', 'dropped', 'retrying', 'pod-changed', 'connected']);
  expect(events[1]).toMatchObject({ type: 'dropped', pod: newest, cause: 'remote' });
});

it('with giveUpAfterMs 0 it makes one attempt and throws why, for callers with their own backoff', async () => {
  const events: PortForwardEvent[] = [];
  const open = reconnectingPortForward(cluster.kc, { namespace, selector: { app: 'none' }, port: 7001, giveUpAfterMs: 0, onEvent: (e) => events.push(e) });
  await expect(open()).rejects.toThrow('no Ready pod with app=none in namespace "pf": no pod matches');
  await expect(open()).rejects.toThrow('no Ready pod with app=none in namespace "pf": no pod matches');
  expect(events).toEqual([]);
});
