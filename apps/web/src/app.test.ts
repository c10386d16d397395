import { once } from 'node:events';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { createLogger } from '@ffk/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app';

// A catalog that accepts connections and never answers: the slow-upstream case.
let stalled: Server;
const sockets = new Set<Socket>();
let web: HttpServer;
let webUrl: string;
const TIMEOUT_MS = 300;

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  stalled = createServer((socket) => sockets.add(socket));
  const catalogPort = await listen(stalled);
  web = createApp({
    catalogUrl: `http://127.0.0.1:${catalogPort}`,
    upstreamTimeoutMs: TIMEOUT_MS,
    logger: createLogger({ name: 'web', level: 'silent' }),
  }).listen(0, '127.0.0.1');
  await once(web, 'listening');
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  web.closeAllConnections();
  await Promise.all([new Promise((r) => stalled.close(r)), new Promise((r) => web.close(r))]);
});

describe('web app', () => {
  it('renders a degraded page within the upstream timeout when the catalog hangs', async () => {
    const started = Date.now();
    const response = await fetch(webUrl);
    const elapsed = Date.now() - started;
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(body).toContain('data-testid="degraded-notice"');
    expect(body).toContain(`catalog did not answer within ${TIMEOUT_MS} ms`);
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 1000);
  });

  it('sets and clears the ffk-user preview cookie', async () => {
    const set = await fetch(`${webUrl}/preview`, { method: 'POST', body: new URLSearchParams({ user: 'alice' }), redirect: 'manual' });
    expect(set.status).toBe(303);
    const cookie = set.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^ffk-user=alice;/);
    const page = await (await fetch(webUrl, { headers: { cookie: 'ffk-user=alice' } })).text();
    expect(page).toContain('previewing as <strong>alice</strong>');
    const cleared = await fetch(`${webUrl}/preview/clear`, { method: 'POST', redirect: 'manual' });
    expect(cleared.headers.get('set-cookie')).toMatch(/^ffk-user=;.*Expires=Thu, 01 Jan 1970/);
  });

  it('refuses a preview name that cannot travel as a header, in one line', async () => {
    const response = await fetch(`${webUrl}/preview`, { method: 'POST', body: new URLSearchParams({ user: 'bob\r\nx-evil: 1' }), redirect: 'manual' });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(text).toContain('preview name');
  });
});
