import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defined } from '@ffk/test-kit/defined';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod, Service } from '../runtime/kube-types';
import { type AddressBlock, claimAddressBlock } from './addresses';
import { endpointSubsets } from './endpoints';
import { ServiceNetwork } from './service-network';

const pod = (name: string, ip: string, ready: boolean, extra: Partial<Pod['metadata']> = {}): Pod => ({
  metadata: { name, namespace: 'shop', uid: `uid-${name}`, labels: { app: 'catalog' }, ...extra },
  spec: { nodeName: 'kube-sim', containers: [{ name: 'catalog', ports: [{ name: 'http', containerPort: 3000 }] }] },
  status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

const catalog: Service = {
  metadata: { name: 'catalog', namespace: 'shop' },
  spec: { type: 'NodePort', selector: { app: 'catalog' }, ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: 30080 }] },
};

describe('Services on the simulated network', { timeout: 20_000 }, () => {
  let block: AddressBlock;
  let dir: string;
  let network: ServiceNetwork;
  const servers: Server[] = [];
  const ips: string[] = [];

  beforeAll(async () => {
    block = claimAddressBlock();
    dir = mkdtempSync(join(tmpdir(), 'kube-sim-services-'));
    network = new ServiceNetwork({ block, namesFile: join(dir, 'names.json'), nodePorts: { 30080: 0 }, warn: (line) => console.warn(line) });
    for (const name of ['a', 'b', 'c']) {
      const ip = block.allocatePod();
      ips.push(ip);
      const server = createServer((_req, res) => res.end(name));
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(3000, ip, resolve));
    }
  });

  afterAll(async () => {
    await network.close();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    block.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('computes Endpoints as Kubernetes does: named target ports, ready and not-ready pods, no terminating ones', () => {
    const subsets = endpointSubsets(catalog, [
      pod('a', ips[0], true),
      pod('b', ips[1], false),
      pod('gone', ips[2], true, { deletionTimestamp: '2026-01-01T00:00:00Z' }),
      { ...pod('other', '127.9.9.9', true), metadata: { name: 'other', namespace: 'shop', labels: { app: 'web' } } },
    ]);
    expect(subsets).toEqual([
      {
        ports: [{ name: 'http', port: 3000, protocol: 'TCP' }],
        addresses: [{ ip: ips[0], nodeName: 'kube-sim', targetRef: { kind: 'Pod', namespace: 'shop', name: 'a', uid: 'uid-a' } }],
        notReadyAddresses: [{ ip: ips[1], nodeName: 'kube-sim', targetRef: { kind: 'Pod', namespace: 'shop', name: 'b', uid: 'uid-b' } }],
      },
    ]);
  });

  it('balances connections over the ready endpoints only, on the Service address and the mapped node port', async () => {
    await network.applyService(catalog);
    const address = defined(network.addressOf('shop', 'catalog'), 'the Service address of shop/catalog');
    expect(JSON.parse(readFileSync(join(dir, 'names.json'), 'utf8'))).toEqual({ 'shop/catalog': address });
    network.applyEndpoints({
      metadata: { name: 'catalog', namespace: 'shop' },
      subsets: endpointSubsets(catalog, [pod('a', ips[0], true), pod('b', ips[1], true), pod('c', ips[2], false)]),
    });

    const answers = new Set<string>();
    for (let i = 0; i < 6; i++) answers.add(await (await fetch(`http://${address}/`, { headers: { connection: 'close' } })).text());
    expect([...answers].sort()).toEqual(['a', 'b']);

    const hostPort = defined(network.boundNodePorts.get(30080), 'the host port bound for node port 30080');
    expect(hostPort).toBeGreaterThan(0);
    expect(['a', 'b']).toContain(await (await fetch(`http://127.0.0.1:${hostPort}/`)).text());
  });

  it('refuses connections when no endpoint is ready, and skips an endpoint that refuses', async () => {
    const address = defined(network.addressOf('shop', 'catalog'), 'the Service address of shop/catalog');
    network.applyEndpoints({ metadata: { name: 'catalog', namespace: 'shop' }, subsets: [] });
    await expect(fetch(`http://${address}/`)).rejects.toThrow();

    // Endpoint list still names a pod whose process is gone: the proxy moves on to a live one.
    const deadIP = block.allocatePod();
    network.applyEndpoints({
      metadata: { name: 'catalog', namespace: 'shop' },
      subsets: endpointSubsets(catalog, [pod('dead', deadIP, true), pod('c', ips[2], true)]),
    });
    for (let i = 0; i < 4; i++) expect(await (await fetch(`http://${address}/`, { headers: { connection: 'close' } })).text()).toBe('c');
  });

  it('drops a removed Service from DNS and the network', async () => {
    const address = defined(network.addressOf('shop', 'catalog'), 'the Service address of shop/catalog');
    await network.removeService('shop', 'catalog');
    expect(JSON.parse(readFileSync(join(dir, 'names.json'), 'utf8'))).toEqual({});
    await expect(fetch(`http://${address}/`)).rejects.toThrow();
  });
});
