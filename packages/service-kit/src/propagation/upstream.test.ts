import type { IncomingHttpHeaders } from 'node:http';
import { freePort, startSilentServer } from '@ffk/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from '../http/lifecycle';
import { withPropagatedHeaders } from './context';
import { createUpstream, UpstreamError } from './upstream';

let echo: RunningServer;
let lastHeaders: IncomingHttpHeaders = {};

beforeAll(async () => {
  echo = await listen(
    (req, res) => {
      lastHeaders = req.headers;
      if (req.url === '/missing') return void res.writeHead(404).end();
      if (req.url === '/text') return void res.end('hello');
      res.setHeader('content-type', 'application/json').end('{"ok":true}');
    },
    { port: 0, host: '127.0.0.1' },
  );
});
afterAll(() => echo?.close(100));

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('the call should have failed'),
    (error: UpstreamError) => {
      expect(error).toBeInstanceOf(UpstreamError);
      return { failure: error.failure, message: error.message };
    },
  );

describe('createUpstream', () => {
  it('adds the current request’s propagated headers; the caller’s own headers win', async () => {
    const upstream = createUpstream({ name: 'echo', baseUrl: `${echo.url}/`, timeoutMs: 1_000 });
    const { body } = await withPropagatedHeaders({ 'x-ffk-user': 'alice', baggage: 'a=1' }, () => upstream.json('/ok', { headers: { baggage: 'b=2' } }));
    expect(body).toEqual({ ok: true });
    expect([lastHeaders['x-ffk-user'], lastHeaders.baggage]).toEqual(['alice', 'b=2']);

    await upstream.json('/ok');
    expect(lastHeaders['x-ffk-user']).toBeUndefined();
  });

  it('says which upstream refused the connection', async () => {
    const upstream = createUpstream({ name: 'inventory', baseUrl: `http://127.0.0.1:${await freePort()}`, timeoutMs: 1_000 });
    expect(await failureOf(upstream.fetch('/stock'))).toEqual({
      failure: 'unreachable',
      message: expect.stringMatching(/^inventory refused the connection \(GET http:\/\/127\.0\.0\.1:\d+\/stock\): is it running\?$/) as unknown,
    });
  });

  it('gives up after the timeout on a server that never answers', async () => {
    const silent = await startSilentServer();
    try {
      const upstream = createUpstream({ name: 'inventory', baseUrl: silent.url, timeoutMs: 200 });
      const started = Date.now();
      expect(await failureOf(upstream.json('/stock'))).toEqual({
        failure: 'timeout',
        message: expect.stringMatching(/^inventory did not answer within 200 ms/) as unknown,
      });
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(silent.connections()).toBe(1);
    } finally {
      await silent.stop();
    }
  });

  it('turns a non-2xx or non-JSON answer into a clear error', async () => {
    const upstream = createUpstream({ name: 'echo', baseUrl: echo.url, timeoutMs: 1_000 });
    expect(await failureOf(upstream.json('/missing'))).toEqual({ failure: 'status', message: `echo answered 404 (GET ${echo.url}/missing)` });
    expect(await failureOf(upstream.json('/text'))).toEqual({
      failure: 'invalid-response',
      message: `echo answered with something that is not JSON (GET ${echo.url}/text)`,
    });
    expect((await upstream.fetch('/missing')).status).toBe(404);
  });

  it('sends an idempotent request again when its connection is reset before an answer, but not a POST', async () => {
    let requests = 0;
    // The first request on every other connection dies with its socket, as on a pod that is shutting down.
    const flaky = await listen(
      (req, res) => {
        requests += 1;
        if (requests % 2 === 1) return void req.socket.destroy();
        res.setHeader('content-type', 'application/json').end('{"ok":true}');
      },
      { port: 0, host: '127.0.0.1' },
    );
    try {
      const upstream = createUpstream({ name: 'catalog', baseUrl: flaky.url, timeoutMs: 1_000 });
      expect((await upstream.json('/products')).body).toEqual({ ok: true });
      expect(requests).toBe(2);
      expect(await failureOf(upstream.fetch('/stock/A/reserve', { method: 'POST', body: '{}' }))).toMatchObject({ failure: 'unreachable' });
      expect(requests).toBe(3);
    } finally {
      await flaky.close(100);
    }
  });
});

describe('warm()', () => {
  it('opens the connection ahead of time: the first real call reuses it', async () => {
    const seen: Array<{ method: string; url: string; socket: unknown }> = [];
    const server = await listen(
      (req, res) => (
        seen.push({ method: String(req.method), url: String(req.url), socket: req.socket }),
        res.setHeader('content-type', 'application/json').end('{"ok":true}')
      ),
      { port: 0, host: '127.0.0.1' },
    );
    try {
      // A fresh origin for fetch's connection pool, so nothing else warmed it before.
      const upstream = createUpstream({ name: 'fresh', baseUrl: server.url.replace('127.0.0.1', 'localhost'), timeoutMs: 1_000 });
      await upstream.warm();
      // fetch puts a connection back in its pool a moment after the body was read; in a service,
      // PostgreSQL and migrations take far longer than that before the first real call.
      await new Promise((resolve) => setTimeout(resolve, 20));
      await upstream.json('/stock');
      expect(seen.map(({ method, url }) => `${method} ${url}`)).toEqual(['GET /healthz', 'GET /stock']);
      expect(seen[1]?.socket).toBe(seen[0]?.socket);
    } finally {
      await server.close(100);
    }
  });

  it('ignores an answer cut off mid-body', async () => {
    const server = await listen((_req, res) => (res.writeHead(200, { 'content-length': '100' }).write('partial'), setTimeout(() => res.destroy(), 20)), {
      port: 0,
      host: '127.0.0.1',
    });
    try {
      const upstream = createUpstream({ name: 'flaky', baseUrl: server.url, timeoutMs: 1_000 });
      await expect(upstream.warm()).resolves.toBeUndefined();
    } finally {
      await server.close(100);
    }
  });

  it('ignores an upstream that is down', async () => {
    const upstream = createUpstream({ name: 'down', baseUrl: `http://127.0.0.1:${await freePort()}`, timeoutMs: 1_000 });
    await expect(upstream.warm()).resolves.toBeUndefined();
  });
});
