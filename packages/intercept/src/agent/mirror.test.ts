// Mirror intercepts at the agent: the cluster's app answers every request, a copy of each
// selected request (body included) reaches the developer's process, and a slow or stopped
// local process costs copies, never the cluster's answers.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RoutedRequest } from '../connector/deliver-http';
import { get, whoAnswers } from '../testing/http-client';
import { type AgentFixture, LOCAL, startAgentFixture } from '../testing/pair';
import { startTestServer, type TestServer } from '../testing/servers';
import { closable, listen } from '../util/servers';

const MIRROR_ALL = { mode: 'mirror' } as const;

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  bytes: number;
  sha256: string;
}

/** The developer's process: records every request it gets, body hashed, and answers after `delayMs`. */
async function startRecordingServer(delayMs = 0): Promise<{ port: number; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, bytes, sha256: hash.digest('hex') });
      setTimeout(() => res.writeHead(201, { 'content-type': 'text/plain' }).end('the local answer, to be discarded'), delayMs);
    });
  });
  const close = closable(server);
  return { port: await listen(server, 0, '127.0.0.1'), received, close };
}

/** A POST to the agent's service port; resolves with the status, who answered and the body. */
function post(port: number, path: string, body: Buffer, headers: http.OutgoingHttpHeaders = {}): Promise<{ status: number; servedBy: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path,
      headers: { 'content-type': 'application/octet-stream', ...headers },
      agent: false,
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, servedBy: String(res.headers['x-ffk-served-by']), body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const p50 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Sequential GETs; the time each took. */
async function timedGets(port: number, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    expect(await whoAnswers(port)).toBe('app');
    times.push(performance.now() - started);
  }
  return times;
}

describe('mirror intercepts', () => {
  let f: AgentFixture;
  let alice: TestServer;
  let bob: TestServer;

  beforeAll(async () => {
    f = await startAgentFixture({ mirrorLimits: { inFlight: 4, bufferedBytes: 8 * 1024 * 1024, reportMs: 50 } });
    [alice, bob] = await Promise.all([startTestServer('alice'), startTestServer('bob')]);
  });
  afterEach(() => f.stopConnectors());
  afterAll(async () => {
    await f.close();
    await Promise.all([alice.close(), bob.close()]);
  });

  it('copies every request, bodies byte-exact (a 5 MB POST too), while the app answers them all', async () => {
    const local = await startRecordingServer();
    try {
      const mirror = f.connect(local.port, { intercept: MIRROR_ALL, owner: 'carol@laptop' });
      const logged: RoutedRequest[] = [];
      mirror.on('request', (r) => logged.push(r));
      const state = await mirror.start();
      expect(state).toMatchObject({ state: 'active', intercept: { mode: 'mirror', owner: 'carol@laptop' } });
      const servedBefore = f.app.served;

      const small = randomBytes(1000);
      const large = randomBytes(5 * 1024 * 1024);
      const answers = [
        await get(f.servicePort, '/who?id=1', { 'x-trace': 'abc' }),
        await post(f.servicePort, '/upload', small),
        await post(f.servicePort, '/upload?big', large),
      ];
      expect(answers.map((a) => ('servedBy' in a ? a.servedBy : a.headers['x-ffk-served-by']))).toEqual(['app', 'app', 'app']);
      expect(JSON.parse(answers[2].body)).toEqual({ who: 'app', bytes: large.length });
      expect(f.app.served - servedBefore).toBe(3);

      await until(() => local.received.length === 3 && logged.length === 3, 'three copies answered locally');
      const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
      expect(local.received.map((r) => [r.method, r.url, r.bytes])).toEqual([
        ['GET', '/who?id=1', 0],
        ['POST', '/upload', 1000],
        ['POST', '/upload?big', large.length],
      ]);
      expect(local.received.map((r) => r.sha256).slice(1)).toEqual([sha(small), sha(large)]);
      expect(local.received[0].headers).toMatchObject({ 'x-trace': 'abc', host: `127.0.0.1:${f.servicePort}` });
      // The connector logs each local answer (here 201) and discards it.
      expect(logged.map((r) => [r.method, r.path, r.status, r.mirror])).toEqual([
        ['GET', '/who?id=1', 201, true],
        ['POST', '/upload', 201, true],
        ['POST', '/upload?big', 201, true],
      ]);
      await until(() => f.agent.intercepts()[0]?.copied === 3, "the agent's count of copies");
      expect(f.agent.intercepts()[0]).toMatchObject({ mode: 'mirror', copied: 3, dropped: 0 });
      // Probes are never copied.
      await get(f.servicePort, '/healthz');
      await get(f.servicePort, '/', { 'user-agent': 'kube-probe/1.32' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(local.received.length).toBe(3);
    } finally {
      await local.close();
    }
  });

  it("never changes where the original goes: beside a global and a personal intercept, a filtered mirror gets copies of its user's requests", async () => {
    const everything = await startRecordingServer();
    const onlyDave = await startRecordingServer();
    try {
      await f.connect(alice, { owner: 'alice@laptop' }).start();
      await f.connect(bob, { owner: 'bob@laptop', intercept: { mode: 'personal', value: 'bob' } }).start();
      await f.connect(everything.port, { owner: 'carol@laptop', intercept: MIRROR_ALL }).start();
      await f.connect(onlyDave.port, { owner: 'dave@laptop', intercept: { mode: 'mirror', value: 'dave' } }).start();
      expect(f.agent.intercepts().map((i) => `${i.owner} ${i.mode} ${i.value ?? ''}`)).toEqual([
        'alice@laptop global ',
        'bob@laptop personal bob',
        'carol@laptop mirror ',
        'dave@laptop mirror dave',
      ]);

      const who = async (user?: string) => (JSON.parse((await get(f.servicePort, '/who', user ? { 'x-ffk-user': user } : {})).body) as { who: string }).who;
      expect([await who(), await who('bob'), await who('dave')]).toEqual(['alice', 'bob', 'alice']);
      await until(() => everything.received.length === 3 && onlyDave.received.length === 1, 'the copies');
      expect(everything.received.map((r) => r.headers['x-ffk-user'] ?? '-')).toEqual(['-', 'bob', 'dave']);
      expect(onlyDave.received[0].headers['x-ffk-user']).toBe('dave');
    } finally {
      await f.stopConnectors();
      await Promise.all([everything.close(), onlyDave.close()]);
    }
  });

  it('answers from the cluster without waiting for a slow local process; copies beyond the queue are dropped and counted', async () => {
    const slow = await startRecordingServer(4000);
    try {
      await timedGets(f.servicePort, 10); // warm-up
      const without = await timedGets(f.servicePort, 20);
      const mirror = f.connect(slow.port, { intercept: MIRROR_ALL });
      const drops: number[] = [];
      mirror.on('dropped', (n) => drops.push(n));
      await mirror.start();
      const started = performance.now();
      const withMirror = await timedGets(f.servicePort, 20);
      const elapsed = performance.now() - started;
      console.log(
        `cluster answer p50: ${p50(without).toFixed(2)} ms without a mirror, ${p50(withMirror).toFixed(2)} ms with one to a process that answers in 4 s`,
      );
      // All 20 answered before the local process answered its first copy.
      expect(elapsed).toBeLessThan(4000);
      expect(slow.received.length).toBeLessThanOrEqual(4);
      // Queue of 4: the other 16 copies were dropped, and the connector was told.
      await until(() => mirror.stats.dropped === 16, 'the drop count at the connector');
      expect(drops.reduce((a, b) => a + b, 0)).toBe(16);
      expect(f.agent.intercepts()[0]).toMatchObject({ dropped: 16 });
      // Once the local answers come, the queue has room again.
      await until(() => f.agent.intercepts()[0]?.copied === 4, 'the four queued copies answered', 20_000);
      await get(f.servicePort, '/who');
      await until(() => slow.received.length === 5, 'a new copy after the queue drained');
      expect(mirror.stats.routed).toBeGreaterThanOrEqual(4);
    } finally {
      await f.stopConnectors();
      await slow.close();
    }
  });

  it('with no local process listening, the app answers at once; a body the tunnel cannot take is dropped, not held', async () => {
    const stopped = await startRecordingServer();
    await stopped.close(); // its port is now closed: the developer's process is down
    const mirror = f.connect(stopped.port, { intercept: MIRROR_ALL, holdMs: 3000 });
    await mirror.start();
    const large = randomBytes(16 * 1024 * 1024);
    const started = performance.now();
    const answer = await post(f.servicePort, '/upload', large);
    expect(JSON.parse(answer.body)).toEqual({ who: 'app', bytes: large.length });
    expect(await whoAnswers(f.servicePort)).toBe('app');
    // Well under the connector's 3 s hold for the copies: nothing waited for them.
    expect(performance.now() - started).toBeLessThan(2500);
    // Past the tunnel's 4 MiB stream window, the 16 MB copy outgrew the 8 MiB the agent may hold for this mirror.
    await until(() => mirror.stats.dropped >= 1, 'the dropped copy reported');
    // The bodiless copy waits out the hold, then the connector logs the 502 it could not deliver.
    const logged = await new Promise<RoutedRequest>((resolve) => mirror.once('request', resolve));
    expect(logged).toMatchObject({ method: 'GET', status: 502, mirror: true });
    expect(logged.error).toMatch(/not listening/);
  });

  it('allows at most 8 mirrors on a port, and a mirror on a standard header is refused like a personal intercept', async () => {
    const local = await startRecordingServer();
    try {
      for (let i = 0; i < 8; i++) await f.connect(local.port, { intercept: MIRROR_ALL, owner: `dev${i}@laptop` }).start();
      const ninth = await f
        .connect(local.port, { intercept: MIRROR_ALL, owner: 'dev8@laptop' })
        .start()
        .catch((e: unknown) => e);
      expect((ninth as Error).message).toMatch(/already has 8 mirrors .*the most one port takes/);
      await f.stopConnectors();
      for (const [spec, message] of [
        [{ mode: 'mirror', header: 'cookie', value: 'a=1' }, /a mirror cannot select on the standard request header cookie/],
        [{ mode: 'mirror', header: 'x-team' }, /a mirror needs a non-empty value for x-team/],
        [{ mode: 'mirror', value: ' ' }, /a mirror needs a non-empty value for x-ffk-user/],
      ] as const) {
        const error = await f
          .connect(local.port, { intercept: spec })
          .start()
          .catch((e: unknown) => e);
        expect((error as Error).message).toMatch(message);
      }
      expect(f.agent.intercepts()).toEqual([]);
      expect(await whoAnswers(f.servicePort)).toBe('app');
    } finally {
      await local.close();
    }
  });

  it('a global intercept still takes requests while a mirror copies them; leaving the mirror changes nothing for the originals', async () => {
    const local = await startRecordingServer();
    try {
      const global = f.connect(alice, { owner: 'alice@laptop' });
      const mirror = f.connect(local.port, { intercept: MIRROR_ALL });
      await Promise.all([global.start(), mirror.start()]);
      expect(await whoAnswers(f.servicePort)).toBe(LOCAL);
      await until(() => local.received.length === 1, 'the copy');
      await mirror.stop();
      expect(await whoAnswers(f.servicePort)).toBe(LOCAL);
      expect(local.received.length).toBe(1);
    } finally {
      await local.close();
    }
  });
});
