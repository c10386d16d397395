// A stalled agent (its process starved of CPU, as on a busy node) must not drop healthy tunnels:
// the connectors kept sending heartbeats, which wait unread in the sockets when it resumes.
import { fileURLToPath } from 'node:url';
import { startProcess } from '@ffk/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get } from './testing/http-client';
import { type AgentFixture, startAgentFixture } from './testing/pair';
import { startTestServer, type TestServer } from './testing/servers';
import { DEFAULT_USER_HEADER } from './tunnel/protocol';

/** Longer than the agent's limit (2 × 1000 ms heartbeats), shorter than the connector's (3.5 heartbeats without a pong). */
const STALL_MS = 2700;

describe('an agent that stalls', () => {
  let f: AgentFixture;
  let local: TestServer;
  let connector: ReturnType<typeof startProcess>;

  beforeAll(async () => {
    f = await startAgentFixture({ heartbeatMs: 1000, missedHeartbeats: 2 });
    local = await startTestServer('alice');
    connector = startProcess(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./testing/connector-process.ts', import.meta.url))], {
      env: {
        ...process.env,
        TUNNEL_PORT: String(f.agent.tunnelPort),
        TOKEN: f.token,
        DEVELOPERS: JSON.stringify([{ owner: 'alice', user: 'alice', localPort: local.port }]),
      },
    });
    await connector.waitForOutput(/"state":"active"/, 30_000);
  });
  afterAll(async () => {
    await connector.stop();
    await f.close();
    await local.close();
  });

  it('keeps the tunnels whose heartbeats arrived while it was stalled', async () => {
    // Block the agent's event loop outside the timers phase (as a busy process is descheduled mid-work):
    // the loop's next turn runs its timers, the liveness check among them, before it reads the sockets.
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        const until = Date.now() + STALL_MS;
        while (Date.now() < until);
        resolve();
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(f.logs.filter((l) => l.msg === 'intercept stopped')).toEqual([]);
    expect(connector.stdout()).not.toMatch(/"state":"reconnecting"/);
    expect(JSON.parse((await get(f.servicePort, '/who', { [DEFAULT_USER_HEADER]: 'alice' })).body)).toMatchObject({ who: 'alice' });
  });
});
