// kube-sim at kube-apiserver's limits: what any client can send (even without rights) is answered,
// never a stopped server or unbounded memory.
import { CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sim, startSim } from '../sim';
import { parseJson } from '../testing/json';
import { MAX_REQUEST_BODY_BYTES } from './limits';
import { openTls, rawRequest } from './testing/raw-https';

describe('kube-sim at its limits', () => {
  let sim: Sim;
  let kc: KubeConfig;
  const admin = () => ({ url: sim.url, token: sim.token });
  const stillServing = async () => {
    expect((await rawRequest(admin(), 'GET', '/version')).status).toBe(200);
    expect((await rawRequest(admin(), 'GET', '/api/v1/namespaces/default/configmaps')).status).toBe(200);
  };

  beforeAll(async () => {
    sim = await startSim({ runtime: false });
    kc = new KubeConfig();
    kc.loadFromFile(sim.kubeconfigPath);
  });
  afterAll(() => sim?.stop());

  it.each([
    '/api/v1/namespaces/%zz/pods',
    '/api/v1/namespaces/default/pods/%',
    '/apis/apps/v1/namespaces/default/deployments/web%E0%A4%A',
    '/api/v1/namespaces/default/configmaps/%ff%fe',
  ])('answers the malformed path %s with 400, with or without a token, and keeps serving', async (path) => {
    for (const target of [admin(), { url: sim.url }]) {
      const answer = await rawRequest(target, 'GET', path);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ kind: 'Status', code: 400, reason: 'BadRequest' });
      expect(parseJson<{ message: string }>(answer.body).message).toMatch(/invalid URL escape in the request path/);
    }
    await stillServing();
  });

  it('refuses a body over 3 MiB with 413, by content-length or as it arrives, and keeps serving', async () => {
    const big = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { x: 'x'.repeat(MAX_REQUEST_BODY_BYTES) } });
    const declared = await rawRequest(admin(), 'POST', '/api/v1/namespaces/default/configmaps', { headers: ['content-type: application/json'], body: big });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({ code: 413, reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728' });
    // Chunked: no length up front, so the count decides; the rest is never read.
    const socket = await openTls(admin());
    const answer = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      socket.on('close', () => resolve(text));
      socket.on('error', () => undefined);
    });
    socket.write(
      `POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nhost: kube-sim\r\nauthorization: Bearer ${sim.token}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n`,
    );
    const chunk = Buffer.alloc(256 * 1024, 'x');
    for (let i = 0; i < 20 && !socket.destroyed; i++) socket.write(`${chunk.length.toString(16)}\r\n${chunk.toString()}\r\n`);
    expect(await answer).toMatch(/^HTTP\/1\.1 413 /);
    await stillServing();
    // Just under the limit is fine.
    const fits = await rawRequest(admin(), 'POST', '/api/v1/namespaces/default/configmaps', {
      headers: ['content-type: application/json'],
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fits' }, data: { x: 'x'.repeat(2 * 1024 * 1024) } }),
    });
    expect(fits.status).toBe(201);
  });

  it('drops watchers that stop reading, keeps the ones that read, and keeps serving', { timeout: 60_000 }, async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'churn' }, data: { x: '' } } });
    // Stalled watchers: they read the answer's head, then never another byte.
    const stalled = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const socket = await openTls(admin());
        socket.write(`GET /api/v1/namespaces/default/configmaps?watch=true HTTP/1.1\r\nhost: kube-sim\r\nauthorization: Bearer ${sim.token}\r\n\r\n`);
        await new Promise((resolve) => socket.once('data', resolve));
        socket.pause();
        return socket;
      }),
    );
    // A watcher that reads, through client-node.
    let seen = 0;
    let readerEnded = false;
    const reader = await new Watch(kc).watch(
      '/api/v1/namespaces/default/configmaps',
      {},
      (type) => void (type === 'MODIFIED' && seen++),
      () => (readerEnded = true),
    );
    const value = 'v'.repeat(256 * 1024);
    for (let i = 0; i < 40; i++)
      await core.replaceNamespacedConfigMap({ name: 'churn', namespace: 'default', body: { metadata: { name: 'churn' }, data: { x: `${i}${value}` } } });
    await expect.poll(() => seen, { timeout: 10_000 }).toBe(40);
    // After the grace period the stalled ones are gone: resumed, each reads what was sent, then the close.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    const closed = await Promise.all(
      stalled.map(
        (socket) =>
          new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), 5000);
            socket.on('error', () => undefined);
            socket.once('close', () => {
              clearTimeout(timer);
              resolve(true);
            });
            socket.resume();
          }),
      ),
    );
    expect(closed).toEqual([true, true, true, true, true]);
    expect(readerEnded).toBe(false);
    reader.abort();
    await stillServing();
  });
});
