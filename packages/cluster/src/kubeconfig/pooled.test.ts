// A session's API requests share kept-alive connections: one TLS handshake, not one per request.
import { readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer, type Server } from 'node:net';
import { type Sim, startSim } from '@ffk/kube-sim';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadKubeconfig } from './load';

let sim: Sim;
let proxy: Server;
let connections = 0;
let kubeconfig: string;

beforeAll(async () => {
  sim = await startSim({ runtime: false });
  // A TCP relay in front of the simulator counts the connections the client opens.
  const target = new URL(sim.url);
  proxy = createServer((socket) => {
    connections++;
    const upstream = connect(Number(target.port), target.hostname);
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  kubeconfig = `${sim.kubeconfigPath}.relayed`;
  const { port } = proxy.address() as AddressInfo;
  writeFileSync(kubeconfig, readFileSync(sim.kubeconfigPath, 'utf8').replace(sim.url, `https://127.0.0.1:${port}`));
});

afterAll(async () => {
  proxy?.close();
  await sim?.stop();
});

it('sends the requests of one kubeconfig session over kept-alive connections, not one each', async () => {
  const api = loadKubeconfig({ kubeconfig }).kc.makeApiClient(CoreV1Api);
  const requests = 6;
  for (let i = 0; i < requests; i++) await api.readNamespace({ name: 'default' });
  // One Agent per request (client-node's own way) opens six; a request sent the moment the one
  // before it ended may still find that connection busy and open a second.
  expect(connections).toBeGreaterThanOrEqual(1);
  expect(connections).toBeLessThanOrEqual(2);
});
