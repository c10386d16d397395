// Personal intercepts depend on a developer's identity surviving every hop: what a browser
// sends to web must reach inventory (two hops down), and nothing else may leak along.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReceivedRequest, type Services, startServices } from './start-services';

describe('header propagation web -> catalog -> inventory', () => {
  let services: Services;

  beforeAll(async () => {
    services = await startServices({ upstreamTimeoutMs: 2_000 });
  });

  afterAll(async () => {
    await services?.stop();
  });

  /** Loads the storefront with `headers` and returns what inventory received meanwhile. */
  async function throughTheChain(headers: Record<string, string>): Promise<{ page: string; received: ReceivedRequest[] }> {
    const before = services.inventoryRequests.length;
    const response = await fetch(services.webUrl, { headers });
    expect(response.status).toBe(200);
    const page = await response.text();
    const received = services.inventoryRequests.slice(before);
    expect(received.length).toBeGreaterThan(0);
    return { page, received };
  }

  it('carries x-ffk-* and baggage to inventory, and nothing else', async () => {
    const { page, received } = await throughTheChain({
      'x-ffk-user': 'bob',
      'x-ffk-route': 'canary',
      baggage: 'ffk.user=bob,tenant=blue',
      authorization: 'Bearer do-not-forward',
      cookie: 'session=do-not-forward',
      'x-unrelated': 'do-not-forward',
    });
    expect(page).not.toContain('data-testid="degraded-notice"');
    for (const { headers } of received) {
      expect(headers['x-ffk-user']).toBe('bob');
      expect(headers['x-ffk-route']).toBe('canary');
      expect(headers.baggage).toBe('ffk.user=bob,tenant=blue');
      expect(headers.authorization).toBeUndefined();
      expect(headers.cookie).toBeUndefined();
      expect(headers['x-unrelated']).toBeUndefined();
    }
  });

  it('turns the ffk-user cookie into x-ffk-user, ahead of an incoming header', async () => {
    const { page, received } = await throughTheChain({ cookie: 'theme=dark; ffk-user=carol', 'x-ffk-user': 'bob', baggage: 'tenant=green' });
    expect(page).toContain('previewing as <strong>carol</strong>');
    for (const { headers } of received) {
      expect(headers['x-ffk-user']).toBe('carol');
      expect(headers.baggage).toBe('tenant=green');
      expect(headers.cookie).toBeUndefined();
    }
  });

  it('adds no identity when the request carries none', async () => {
    const { received } = await throughTheChain({});
    for (const { headers } of received) {
      expect(Object.keys(headers).filter((name) => name.startsWith('x-ffk-') || name === 'baggage')).toEqual([]);
    }
  });
});
