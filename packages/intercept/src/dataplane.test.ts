import http from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { defined } from '@ffk/test-kit/defined';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Connector } from './connector/connector';
import { get } from './testing/http-client';
import { type AgentFixture, LOCAL, startAgentFixture } from './testing/pair';
import { startTestServer, type TestServer } from './testing/servers';

const MB = 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'y');

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Live memory (JS heap + buffers) after a full collection: garbage does not count, held data does. */
function liveBytes(): number {
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/** Highest growth of live memory while `work` runs, sampled every 25 ms. */
async function peakGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  const before = liveBytes();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, liveBytes())), 25);
  try {
    const result = await work();
    return { result, growthMb: (peak - before) / MB };
  } finally {
    clearInterval(sampler);
  }
}

function upload(port: number, bytes: number): Promise<{ who: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/upload', agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(JSON.parse(body) as { who: string; bytes: number }));
    });
    req.on('error', reject);
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        sent += CHUNK.length;
        if (!req.write(CHUNK)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

function download(port: number, mb: number): Promise<{ servedBy: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: `/download?mb=${mb}`, agent: false }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => resolve({ servedBy: String(res.headers['x-ffk-served-by']), bytes }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

describe.each(['passthrough', 'intercept'] as const)('data plane, %s', (mode) => {
  let f: AgentFixture;
  let local: TestServer;
  let connector: Connector | undefined;
  const expected = mode === 'intercept' ? LOCAL : 'app';
  const expectedName = mode === 'intercept' ? 'local' : 'app';

  beforeAll(async () => {
    f = await startAgentFixture();
    local = await startTestServer('local');
    if (mode === 'intercept') {
      connector = f.connect(local);
      await connector.start();
    }
  });
  afterAll(async () => {
    await f.close();
    await local.close();
  });

  it('echoes WebSocket messages, text and a 1 MB binary one', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${f.servicePort}/ws`);
    const servedBy = new Promise<string>((resolve) => socket.once('upgrade', (res) => resolve(String(res.headers['x-ffk-served-by']))));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    // binaryType is 'nodebuffer' (the default): each message arrives as one Buffer.
    const next = () => new Promise<Buffer>((resolve) => socket.once('message', (data) => resolve(data as Buffer)));
    socket.send('hello');
    expect((await next()).toString()).toBe(`${expectedName}: hello`);
    const binary = Buffer.alloc(MB, 7);
    socket.send(binary);
    expect(Buffer.compare(await next(), binary)).toBe(0);
    expect(await servedBy).toBe(expected);
    socket.close();
  });

  it('streams server-sent events as they happen', async () => {
    const arrivals: number[] = [];
    const events: string[] = [];
    await new Promise<void>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: f.servicePort, path: '/sse', agent: false }, (res) => {
          expect(res.headers['content-type']).toBe('text/event-stream');
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            for (const event of chunk.split('\n\n').filter(Boolean)) {
              events.push(event);
              arrivals.push(Date.now());
            }
          });
          res.on('end', resolve);
        })
        .on('error', reject);
    });
    expect(events).toEqual([1, 2, 3, 4, 5].map((n) => `data: ${expectedName} ${n}`));
    // The server spaces events 30 ms apart: buffered delivery would bring them all at once.
    expect(defined(arrivals.at(-1), 'the last event') - arrivals[0]).toBeGreaterThan(60);
  });

  it('streams a chunked request and its answer both ways, chunk by chunk', async () => {
    const req = http.request({ host: '127.0.0.1', port: f.servicePort, method: 'POST', path: '/echo', agent: false });
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      req.on('response', resolve).on('error', reject);
      req.flushHeaders();
    });
    expect(res.headers['x-ffk-served-by']).toBe(expected);
    for (const word of ['one', 'two', 'three']) {
      const back = new Promise<string>((resolve) => res.once('data', (c) => resolve(String(c))));
      req.write(word);
      expect(await back).toBe(word);
    }
    req.end();
    await new Promise((resolve) => res.on('end', resolve).resume());
  });

  it('moves a 50 MB upload and a 50 MB download without holding them in memory', async () => {
    const up = await peakGrowth(() => upload(f.servicePort, 50 * MB));
    expect(up.result).toEqual({ who: expectedName, bytes: 50 * MB });
    const down = await peakGrowth(() => download(f.servicePort, 50));
    expect(down.result).toEqual({ servedBy: expected, bytes: 50 * MB });
    console.log(`[${mode}] peak live memory growth: upload ${up.growthMb.toFixed(1)} MB, download ${down.growthMb.toFixed(1)} MB`);
    // Client, agent, connector and both servers share this process: buffering a body whole would add 50 MB.
    expect(up.growthMb).toBeLessThan(20);
    expect(down.growthMb).toBeLessThan(20);
  });

  it('answers 200 concurrent keep-alive clients correctly, three rounds each', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 200 });
    let connections = 0;
    const connect = agent.createConnection.bind(agent);
    agent.createConnection = (...args: Parameters<typeof connect>) => {
      connections++;
      return connect(...args);
    };
    try {
      for (let round = 0; round < 3; round++) {
        const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => get(f.servicePort, `/who?id=${round}-${i}`, {}, agent)));
        answers.forEach((answer, i) => {
          expect(answer.status).toBe(200);
          expect(answer.headers['x-ffk-served-by']).toBe(expected);
          expect(JSON.parse(answer.body)).toMatchObject({ who: expectedName, id: `${round}-${i}` });
        });
      }
      // Keep-alive held through the agent: 600 requests over at most 200 connections.
      expect(connections).toBeGreaterThan(0);
      expect(connections).toBeLessThanOrEqual(200);
    } finally {
      agent.destroy();
    }
    if (connector) expect(connector.stats.routed).toBeGreaterThanOrEqual(600);
  });
});
