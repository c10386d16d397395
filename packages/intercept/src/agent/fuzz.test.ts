// Fuzz: random and mutated control messages from peers that hold the token, for a bounded time
// and count, against the agent's entry point in its own process (a crash is an exit, as in the
// pod). The agent must answer or close that one tunnel, and keep serving throughout.
// A failure names its seed: FFK_FUZZ_SEED=<seed> replays it.
import net from 'node:net';
import { type Fuzz, fuzzer, fuzzFor } from '@ffk/test-kit/fuzz';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connector } from '../connector/connector';
import { type AgentProcess, startAgentProcess } from '../testing/agent-process';
import { get, whoAnswers } from '../testing/http-client';
import { LOCAL } from '../testing/pair';
import { openRawPeer } from '../testing/raw-peer';
import { startTestServer, type TestServer } from '../testing/servers';
import { PROTOCOL_VERSION } from '../tunnel/protocol';

const LIMITS = { ms: 15_000, count: 600 };

/** A message a confused or hostile connector might send: mostly almost right, sometimes anything. */
function mutatedMessage(fuzz: Fuzz, token: string, appPort: number): unknown {
  const hello = () => ({
    type: 'hello',
    protocol: fuzz.chance(0.9) ? PROTOCOL_VERSION : fuzz.json(0),
    token: fuzz.chance(0.9) ? token : fuzz.json(0),
    connectorId: fuzz.chance(0.7) ? `fuzz-${fuzz.int(1e6)}` : fuzz.json(1),
    owner: fuzz.chance(0.7) ? 'fuzz@peer' : fuzz.json(1),
    ...(fuzz.chance(0.8)
      ? {
          intercept: fuzz.chance(0.5)
            ? {
                mode: fuzz.pick(['personal', 'global', 'mirror', fuzz.json(0)]),
                header: fuzz.pick([undefined, 'x-ffk-user', 'host', fuzz.json(0)]),
                value: fuzz.pick(['fuzz', '', fuzz.json(0)]),
                port: fuzz.pick([undefined, 'http', fuzz.json(0)]),
              }
            : fuzz.json(2),
        }
      : {}),
  });
  switch (fuzz.int(7)) {
    case 0:
      return hello();
    case 1:
      return { type: 'ping' };
    case 2:
      return {
        type: 'dial',
        id: fuzz.chance(0.7) ? `d${fuzz.int(1000)}` : fuzz.json(1),
        host: fuzz.pick(['127.0.0.1', '::1', fuzz.json(1)]),
        port: fuzz.pick([appPort, 1, 0, fuzz.json(0)]),
      };
    case 3:
      return { ...(fuzz.json(2) as object), type: fuzz.pick(['hello', 'dial', 'ping', 'welcome', 'refused', fuzz.text(8)]) };
    case 4:
      return fuzz.json(3);
    case 5:
      return fuzz.text(200) + (fuzz.chance(0.5) ? '\n' : '');
    default:
      return `${JSON.stringify(hello()).slice(0, fuzz.int(80))}\n`;
  }
}

describe('agent control messages fuzz', () => {
  let agent: AgentProcess;
  let app: TestServer;
  let local: TestServer;
  let healthy: Connector;

  beforeAll(async () => {
    [app, local] = await Promise.all([startTestServer('app'), startTestServer('local')]);
    agent = await startAgentProcess(app.port);
    healthy = new Connector({
      openStream: () => net.connect({ host: '127.0.0.1', port: agent.tunnelPort }),
      token: agent.token,
      intercept: { mode: 'personal', value: 'dev' },
      localPort: local.port,
      backoff: { initialMs: 50, maxMs: 500 },
    });
    await healthy.start();
  });
  afterAll(async () => {
    await healthy?.stop();
    await agent?.stop();
    await Promise.all([app?.close(), local?.close()]);
  });

  async function stillServing(): Promise<void> {
    expect(agent.exit).toBeUndefined();
    // A fuzz peer may have held a valid global intercept until its tunnel closed a moment ago.
    await expect.poll(() => whoAnswers(agent.servicePort), { timeout: 5000 }).toBe('app');
    expect(await whoAnswers(agent.servicePort, { 'x-ffk-user': 'dev' })).toBe(LOCAL);
    expect((await get(agent.healthPort, '/healthz')).status).toBe(200);
  }

  it('keeps serving while peers with the token send random and mutated control messages', { timeout: 60_000 }, async () => {
    const fuzz = fuzzer();
    let answered = 0;
    const steps = await fuzzFor(fuzz, LIMITS, async (step) => {
      const peer = await openRawPeer(agent.tunnelPort);
      try {
        if (fuzz.chance(0.7)) peer.send({ type: 'hello', protocol: PROTOCOL_VERSION, token: agent.token, connectorId: `fuzz-${step}`, owner: 'fuzz@peer' });
        for (let n = 1 + fuzz.int(8); n > 0; n--) {
          const message = mutatedMessage(fuzz, agent.token, app.port);
          peer.send(typeof message === 'string' ? message : `${JSON.stringify(message) ?? 'undefined'}\n`);
        }
        peer.send({ type: 'ping' });
        // The agent answers, refuses or closes: it never goes silent on a live tunnel.
        await Promise.race([peer.next('pong', 3000).catch(() => undefined), peer.closed]);
        if (peer.received.length > 0) answered++;
      } finally {
        peer.close();
      }
      if (agent.exit) throw new Error(`the agent ${agent.exit}`);
      if (step % 20 === 19) await stillServing();
    });
    await stillServing();
    expect(steps).toBeGreaterThan(50);
    expect(answered).toBeGreaterThan(0);
  });
});
