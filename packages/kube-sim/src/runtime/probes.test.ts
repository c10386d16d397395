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
  const target = (env: Record<string, string> = {}) => ({ container, podIP: '127.0.0.1', env });

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
    expect(await runProbe({ httpGet: { path: '/readyz', port: 'http' } }, target())).toEqual({ ok: true, message: '' });
    expect((await runProbe({ httpGet: { path: '/moved', port } }, target())).ok).toBe(true);
    expect(await runProbe({ httpGet: { path: '/nope', port } }, target())).toEqual({ ok: false, message: 'HTTP probe failed with statuscode: 404' });
    expect((await runProbe({ httpGet: { port: 'grpc' } }, target())).message).toMatch(/port "grpc" not found/);
  });

  it('passes tcpSocket when something listens, and fails with the dial error otherwise', async () => {
    expect((await runProbe({ tcpSocket: { port } }, target())).ok).toBe(true);
    const closed = await runProbe({ tcpSocket: { port: 1 } }, target());
    expect(closed).toEqual({ ok: false, message: 'dial tcp 127.0.0.1:1: ECONNREFUSED' });
  });

  it('runs exec probes with the container env, the pod address standing in for localhost', async () => {
    const env = { PATH: process.env.PATH ?? '', WHO: 'app' };
    expect(
      await runProbe({ exec: { command: ['sh', '-c', 'test "$WHO" = app && test "$0" = 127.9.9.9', 'localhost'] } }, { ...target(env), podIP: '127.9.9.9' }),
    ).toEqual({ ok: true, message: '' });
    expect(await runProbe({ exec: { command: ['sh', '-c', 'echo not ready; exit 1'] } }, target(env))).toEqual({ ok: false, message: 'not ready' });
  });

  it('changes its verdict only after failureThreshold failures and successThreshold successes', async () => {
    const changes: boolean[] = [];
    const worker = new ProbeWorker({ httpGet: { path: '/readyz', port }, periodSeconds: 0.02, failureThreshold: 3, successThreshold: 2 }, target(), (ok) =>
      changes.push(ok),
    );
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
