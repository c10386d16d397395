import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Container } from './kube-types';
import { ProbeWorker, runProbe } from './probes';

describe('probes', () => {
  let server: Server;
  let port: number;
  let healthy = true;
  const container: Container = { name: 'app', ports: [] };

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.statusCode = req.url === '/readyz' ? (healthy ? 200 : 503) : req.url === '/moved' ? 302 : 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    container.ports = [{ name: 'http', containerPort: port }];
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('passes httpGet on 2xx/3xx through a named port and fails otherwise, with the kubelet message', async () => {
    expect(await runProbe({ httpGet: { path: '/readyz', port: 'http' } }, container, '127.0.0.1')).toEqual({ ok: true, message: '' });
    expect((await runProbe({ httpGet: { path: '/moved', port } }, container, '127.0.0.1')).ok).toBe(true);
    expect(await runProbe({ httpGet: { path: '/nope', port } }, container, '127.0.0.1')).toEqual({ ok: false, message: 'HTTP probe failed with statuscode: 404' });
    expect((await runProbe({ httpGet: { port: 'grpc' } }, container, '127.0.0.1')).message).toMatch(/port "grpc" not found/);
  });

  it('passes tcpSocket when something listens, and fails with the dial error otherwise', async () => {
    expect((await runProbe({ tcpSocket: { port } }, container, '127.0.0.1')).ok).toBe(true);
    const closed = await runProbe({ tcpSocket: { port: 1 } }, container, '127.0.0.1');
    expect(closed).toEqual({ ok: false, message: 'dial tcp 127.0.0.1:1: ECONNREFUSED' });
  });

  it('changes its verdict only after failureThreshold failures and successThreshold successes', async () => {
    const changes: boolean[] = [];
    const worker = new ProbeWorker({ httpGet: { path: '/readyz', port }, periodSeconds: 0.02, failureThreshold: 3, successThreshold: 2 }, container, '127.0.0.1', (ok) => changes.push(ok));
    healthy = true;
    worker.start();
    await expect.poll(() => changes).toEqual([true]);
    healthy = false;
    await expect.poll(() => changes).toEqual([true, false]);
    healthy = true;
    await expect.poll(() => changes).toEqual([true, false, true]);
    worker.stop();
  });
});
