import http2 from 'node:http2';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Connector, ConnectorRefusedError } from '../connector/connector';
import { whoAnswers } from '../testing/http-client';
import { type AgentFixture, LOCAL, startAgentFixture } from '../testing/pair';
import { startTestServer, type TestServer } from '../testing/servers';
import { KIND_HEADER } from './protocol';

/** Resolves when the peer closes the socket; fails the test if it stays open for 5 s. */
function closedByPeer(socket: net.Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the agent left the connection open')), 5000);
    socket.on('error', () => {});
    socket.resume();
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('bad input on the tunnel and service ports', () => {
  let f: AgentFixture;
  let local: TestServer;

  beforeAll(async () => {
    f = await startAgentFixture();
    local = await startTestServer('local');
    // A healthy intercept runs through every test: bad input must not disturb it.
    await f.connect(local, { intercept: { mode: 'personal', value: 'dev' } }).start();
  });
  afterAll(async () => {
    await f.close();
    await local.close();
  });
  afterEach(async () => {
    expect(await whoAnswers(f.servicePort, { 'x-ffk-user': 'dev' })).toBe(LOCAL);
    expect(await whoAnswers(f.servicePort)).toBe('app');
  });

  it('refuses a wrong token and logs it without the token', async () => {
    const wrongToken = 'not-the-token-but-close-enough-123';
    const intruder = new Connector({ openStream: f.openStream, token: wrongToken, intercept: { mode: 'global' }, localPort: local.port });
    const error = await intruder.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorRefusedError);
    expect((error as ConnectorRefusedError).code).toBe('token');
    expect((error as Error).message).toMatch(/refused the token/);
    const logged = f.logs.filter((l) => l.msg === 'tunnel refused: wrong token');
    expect(logged).toHaveLength(1);
    expect(JSON.stringify(f.logs)).not.toContain(wrongToken);
    expect(JSON.stringify(f.logs)).not.toContain(f.token);
  });

  it.each([
    ['an HTTP/1.1 request', Buffer.from('GET / HTTP/1.1\r\nhost: x\r\n\r\n')],
    ['random bytes', Buffer.from([0x00, 0x00, 0x05, 0x07, 0xff, 0x00, 0x00, 0x00, 0x01, 0xde, 0xad, 0xbe, 0xef, 0x00])],
  ])('closes a tunnel that sends %s instead of HTTP/2', async (_what, garbage) => {
    const socket = net.connect({ host: '127.0.0.1', port: f.agent.tunnelPort });
    socket.write(garbage);
    await closedByPeer(socket);
  });

  it('closes a tunnel whose control messages are malformed', async () => {
    const socket = net.connect({ host: '127.0.0.1', port: f.agent.tunnelPort });
    const server = http2.createServer();
    server.on('stream', (stream, headers) => {
      expect(headers[KIND_HEADER]).toBe('control');
      stream.respond({ ':status': 200 });
      stream.write('{"type": "hello", "token": \n');
    });
    server.emit('connection', socket);
    await closedByPeer(socket);
    expect(f.logs.some((l) => l.msg === 'tunnel closed: protocol error' && String(l.reason).startsWith('malformed control message'))).toBe(true);
  });

  it('answers an HTTP-looking garbage request with 400 and closes it', async () => {
    const socket = net.connect({ host: '127.0.0.1', port: f.servicePort });
    let answer = '';
    socket.on('data', (data: Buffer) => (answer += data.toString()));
    socket.write('GET\x01\x02 nonsense\r\n\x00\r\n\r\n');
    await closedByPeer(socket);
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
  });

  it('passes binary garbage through to the app, which closes it', async () => {
    const socket = net.connect({ host: '127.0.0.1', port: f.servicePort });
    socket.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x00, 0x01, 0x02]));
    await closedByPeer(socket);
  });
});
