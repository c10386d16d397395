import net from 'node:net';
import { defined } from '@ffk/test-kit/defined';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { get, whoAnswers } from '../testing/http-client';
import { type AgentFixture, LOCAL, startAgentFixture } from '../testing/pair';
import { startTestServer, type TestServer } from '../testing/servers';
import { listen } from '../util/servers';
import type { ConnectorState } from './connector';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('connector', () => {
  let f: AgentFixture;
  let local: TestServer;

  beforeAll(async () => {
    f = await startAgentFixture();
    local = await startTestServer('local');
  });
  afterEach(() => f.stopConnectors());
  afterAll(async () => {
    await f.close();
    await local.close();
  });

  it('holds requests while the local server restarts: 20 restarts under 20 requests/s, none failed', async () => {
    const connector = f.connect(local);
    await connector.start();
    const failures: string[] = [];
    let answered = 0;
    let running = true;
    const ticker = (async () => {
      const pending: Promise<void>[] = [];
      while (running) {
        pending.push(
          whoAnswers(f.servicePort).then(
            (who) => void (who === LOCAL ? answered++ : failures.push(`served by ${who}`)),
            (error: Error) => void failures.push(error.message),
          ),
        );
        await sleep(50);
      }
      await Promise.all(pending);
    })();
    for (let restart = 0; restart < 20; restart++) {
      await local.close();
      await sleep(150);
      await local.reopen();
      await sleep(150);
    }
    running = false;
    await ticker;
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(80);
    expect(connector.stats.failed).toBe(0);
    await connector.stop();
  });

  it('answers 502 naming the port once the local process stays down past the hold time', async () => {
    const closed = net.createServer();
    const port = await listen(closed, 0, '127.0.0.1');
    await new Promise((resolve) => closed.close(resolve));
    const connector = f.connect(port, { holdMs: 300 });
    await connector.start();
    const started = Date.now();
    const answer = await get(f.servicePort, '/who');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(answer.status).toBe(502);
    expect(answer.body).toContain(`the local process is not listening on 127.0.0.1:${port}`);
    expect(answer.headers['x-ffk-served-by']).toBe(LOCAL);
    expect(connector.stats.failed).toBe(1);
    await connector.stop();
  });

  it('reconnects with backoff and re-registers when the tunnel drops, reporting each state', async () => {
    const streams: net.Socket[] = [];
    const connector = f.connect(local, {
      backoff: { initialMs: 300 },
      openStream: () => {
        const socket = f.openStream();
        streams.push(socket);
        return socket;
      },
    });
    const states: ConnectorState[] = [];
    connector.on('state', (state) => states.push(state));
    await connector.start();
    defined(streams.at(-1), 'the tunnel stream').destroy();
    await sleep(50);
    // Right after the drop the agent has already failed open.
    expect(await whoAnswers(f.servicePort)).toBe('app');
    while (connector.state.state !== 'active') await sleep(20);
    expect(states.map((s) => s.state)).toEqual(['connecting', 'active', 'reconnecting', 'connecting', 'active']);
    expect(states.at(-1)).toMatchObject({ state: 'active', reconnects: 1 });
    expect(await whoAnswers(f.servicePort)).toBe(LOCAL);
    await connector.stop();
    expect(connector.state.state).toBe('stopped');
  });

  it('exposes a cluster host:port on a local port through the tunnel, and reports failed dials', async () => {
    const echo = net.createServer((socket) => socket.pipe(socket));
    const echoPort = await listen(echo, 0, '127.0.0.1');
    const connector = f.connect(local, { intercept: undefined, localPort: undefined });
    await connector.start();
    const exposed = await connector.expose({ host: '127.0.0.1', port: echoPort });
    const socket = net.connect({ host: '127.0.0.1', port: exposed.localPort });
    socket.write('ping through the tunnel');
    const back = await new Promise<string>((resolve) => socket.once('data', (data) => resolve(String(data))));
    expect(back).toBe('ping through the tunnel');
    socket.destroy();

    const errors: string[] = [];
    connector.on('outbound-error', (error) => errors.push(error.message));
    const nowhere = await connector.expose({ host: '127.0.0.1', port: 1 });
    const refused = net.connect({ host: '127.0.0.1', port: nowhere.localPort });
    await new Promise((resolve) => refused.on('close', resolve).on('error', () => {}));
    expect(errors).toEqual([expect.stringContaining('127.0.0.1:1: connect ECONNREFUSED')]);
    await connector.stop();
    await new Promise((resolve) => echo.close(resolve));
  });
});
