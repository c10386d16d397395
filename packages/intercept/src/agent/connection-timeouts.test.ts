// Slowloris and idle connections on a service port are closed; clients that talk keep working.
import http2 from 'node:http2';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whoAnswers } from '../testing/http-client';
import { type AgentFixture, startAgentFixture } from '../testing/pair';

function closedWithin(socket: net.Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.on('error', () => undefined);
    socket.resume();
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

describe('service port connection timeouts', () => {
  let f: AgentFixture;

  beforeAll(async () => {
    f = await startAgentFixture({ timeouts: { headMs: 500, idleMs: 1000 } });
  });
  afterAll(() => f.close());

  const connect = () =>
    new Promise<net.Socket>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port: f.servicePort }, () => resolve(socket));
    });

  it('closes connections that never send a byte, and ones that send a request head a byte at a time (slowloris)', async () => {
    const idle = await Promise.all(Array.from({ length: 100 }, connect));
    const slow = await Promise.all(Array.from({ length: 100 }, connect));
    const drip = setInterval(() => slow.forEach((s, i) => s.writable && s.write(i % 2 ? 'x' : 'GET / HTTP/1.1\r\nx-slow: ')), 100);
    try {
      const closed = await Promise.all([...idle, ...slow].map((s) => closedWithin(s, 5000)));
      expect(closed.filter(Boolean)).toHaveLength(200);
    } finally {
      clearInterval(drip);
    }
    expect(await whoAnswers(f.servicePort)).toBe('app');
  });

  it('closes HTTP/2 connections that send the preface and nothing more, and keeps a client that connected before its first call', async () => {
    const silent = await Promise.all(Array.from({ length: 50 }, connect));
    for (const socket of silent) socket.write(H2_PREFACE);
    const closed = await Promise.all(silent.map((s) => closedWithin(s, 5000)));
    expect(closed.filter(Boolean)).toHaveLength(50);

    const client = http2.connect(`http://127.0.0.1:${f.servicePort}`);
    client.on('error', () => {});
    let clientClosed = false;
    const gone = new Promise((resolve) => client.on('close', resolve)).then(() => (clientClosed = true));
    // Past the head deadline (500 ms), short of the idle one (1 s): the client's settings count as its head.
    await new Promise((resolve) => setTimeout(resolve, 750));
    expect(clientClosed).toBe(false);
    await gone; // then closed as idle
  });
});

const H2_PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';
