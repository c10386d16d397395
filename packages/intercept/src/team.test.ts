// Issue 14 part 4, a team on one workload: 20 developers with personal intercepts and one with
// the global intercept, on one agent (its own process), each connector a real client over its
// own tunnel (TCP to the agent's tunnel port: what a port-forward delivers, without the API
// server's relay in between, which is not what is under test here). The load generator checks
// every answer against the developer it belongs to. The 10,000-request figures are
// bench/intercept-e2e.bench.ts's (shared/team-latency.ts).
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { type StartedProcess, startProcess } from '@ffk/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connector } from './connector/connector';
import { type AgentProcess, startAgentProcess } from './testing/agent-process';
import { type Answer, get } from './testing/http-client';
import { startTestServer, type TestServer } from './testing/servers';
import { judge, type TeamOutcome, type TeamRoute, teamTraffic } from './testing/team-load';
import { DEFAULT_USER_HEADER } from './tunnel/protocol';

const DEVELOPERS = Array.from({ length: 20 }, (_, i) => `dev-${String(i + 1).padStart(2, '0')}`);
const [VICTIM, ...OTHERS] = DEVELOPERS;
const connectorScript = fileURLToPath(new URL('./testing/connector-process.ts', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await sleep(20);
  }
}

describe('20 personal intercepts and a global one on one workload', () => {
  let app: TestServer;
  let agent: AgentProcess;
  const locals = new Map<string, TestServer>();
  /** the victim's connector, the global holder's, and everyone else's, each group its own process */
  let victim: StartedProcess;
  let globalHolder: StartedProcess;
  let others: StartedProcess;

  const startConnectors = (developers: { owner: string; user?: string }[]): Promise<StartedProcess> => {
    const child = startProcess(process.execPath, ['--import', 'tsx', connectorScript], {
      env: {
        ...process.env,
        TUNNEL_PORT: String(agent.tunnelPort),
        TOKEN: agent.token,
        DEVELOPERS: JSON.stringify(developers.map((d) => ({ ...d, localPort: locals.get(d.owner)?.port }))),
      },
    });
    return Promise.all(developers.map((d) => child.waitForOutput(new RegExp(`"owner":"${d.owner}","state":"active"`), 30_000))).then(() => child);
  };
  /** What the agent's health endpoint counts: intercepts registered and tunnels open. */
  const agentCounts = async () => JSON.parse((await get(agent.healthPort, '/healthz')).body) as { intercepts: number; tunnels: number };
  const personal = (user: string, expect = user): TeamRoute => ({ port: agent.servicePort, headers: { [DEFAULT_USER_HEADER]: user }, expect });
  /** every developer's requests, plain ones, a user nobody intercepts, and the kubelet's probe */
  const mix = (plainTo: string, victimTo = VICTIM): TeamRoute[] => [
    ...OTHERS.map((user) => personal(user)),
    personal(VICTIM, victimTo),
    { port: agent.servicePort, headers: {}, expect: plainTo },
    personal('someone-else', plainTo),
    { port: agent.servicePort, headers: { [DEFAULT_USER_HEADER]: OTHERS[0] }, path: '/healthz', expect: 'app' },
  ];
  /** Runs the mix until `before` requests were answered, then `act`, then until `after` more requests sent after `act` ended were answered. */
  const aroundAction = async (routes: TeamRoute[], act: () => Promise<void>, before = 200, after = 400) => {
    const traffic = teamTraffic(routes);
    try {
      await until(`${before} requests were answered`, () => traffic.outcomes.length >= before);
      await act();
      const settledAt = Date.now();
      await until(`${after} more requests were answered`, () => traffic.outcomes.filter((o) => o.sentAt >= settledAt).length >= after);
      return { outcomes: traffic.outcomes, settledAt };
    } finally {
      await traffic.stop();
    }
  };
  const whoIs = async (headers: Record<string, string>) => (JSON.parse((await get(agent.servicePort, '/who', headers)).body) as { who: string }).who;
  const of = (routes: TeamRoute[], outcomes: TeamOutcome[], owner: string) => outcomes.filter((o) => routes[o.route].headers[DEFAULT_USER_HEADER] === owner);

  beforeAll(async () => {
    app = await startTestServer('app');
    for (const name of [...DEVELOPERS, 'global']) locals.set(name, await startTestServer(name));
    agent = await startAgentProcess(app.port);
    [victim, globalHolder, others] = await Promise.all([
      startConnectors([{ owner: VICTIM, user: VICTIM }]),
      startConnectors([{ owner: 'global' }]),
      startConnectors(OTHERS.map((user) => ({ owner: user, user }))),
    ]);
    expect(await agentCounts()).toMatchObject({ intercepts: 21, tunnels: 21 });
  }, 90_000);

  afterAll(async () => {
    await Promise.all([victim, globalHolder, others].map((p) => p?.stop()));
    await agent?.stop();
    await Promise.all([app, ...locals.values()].map((server) => server?.close()));
  });

  it('sends every request of mixed concurrent traffic to the developer it belongs to: 2,000 requests, zero misrouted', async () => {
    const routes = mix('global');
    const traffic = teamTraffic(routes, { requests: 2000 });
    await traffic.done;
    expect(traffic.outcomes).toHaveLength(2000);
    expect(judge(routes, traffic.outcomes)).toEqual({ misrouted: [], errors: [] });
    // Every developer was part of the mix, each with its own share.
    for (const name of [...DEVELOPERS, 'global']) expect(traffic.outcomes.filter((o) => o.who === name).length).toBeGreaterThan(50);
  });

  it("keeps everyone else's requests where they belong when one developer's connector is SIGKILLed; theirs go to the global intercept", async () => {
    let caught: Promise<Answer> | undefined;
    let killedAt = Infinity;
    const { outcomes, settledAt } = await aroundAction(mix('global', 'global'), async () => {
      // A request of theirs still in flight in the dying tunnel (no body) is replayed where it belongs now.
      const servedBefore = locals.get(VICTIM)?.served ?? 0;
      caught = get(agent.servicePort, '/slow?ms=3000', { [DEFAULT_USER_HEADER]: VICTIM });
      await until('the slow request reached the victim', () => (locals.get(VICTIM)?.served ?? 0) > servedBefore);
      killedAt = Date.now();
      victim.child.kill('SIGKILL');
      await until('the agent dropped the dead connector', async () => (await agentCounts()).intercepts === 20);
    });
    console.log(`the agent dropped the SIGKILLed connector's intercept ${settledAt - killedAt} ms after the kill`);
    expect(JSON.parse((await caught)?.body ?? '{}')).toMatchObject({ who: 'global' });
    const routes = mix('global');
    const others = outcomes.filter((o) => routes[o.route].headers[DEFAULT_USER_HEADER] !== VICTIM);
    expect(judge(routes, others)).toEqual({ misrouted: [], errors: [] });
    // The dead developer's requests: theirs until the kill, the global holder's once the agent noticed, none failed in between.
    const victims = of(routes, outcomes, VICTIM);
    expect(victims.filter((o) => o.error)).toEqual([]);
    expect(victims.filter((o) => o.who !== VICTIM && o.who !== 'global')).toEqual([]);
    expect(victims.filter((o) => o.sentAt + o.ms < killedAt).every((o) => o.who === VICTIM)).toBe(true);
    const afterNoticed = victims.filter((o) => o.sentAt >= settledAt);
    expect(afterNoticed.length).toBeGreaterThan(5);
    expect(afterNoticed.every((o) => o.who === 'global')).toBe(true);
  });

  it("sends a leaving developer's new requests to the global intercept while their last ones finish", async () => {
    const leaver = await startTestServer('leaver');
    try {
      const connector = new Connector({
        openStream: () => net.connect({ host: '127.0.0.1', port: agent.tunnelPort }),
        token: agent.token,
        intercept: { mode: 'personal', value: 'leaver' },
        localPort: leaver.port,
        owner: 'leaver',
      });
      await connector.start();
      const unfinished = get(agent.servicePort, '/slow?ms=600', { [DEFAULT_USER_HEADER]: 'leaver' });
      await until('the slow request reached the leaver', () => leaver.served === 1);
      const leaving = connector.stop();
      // The agent hears the goodbye (an HTTP/2 GOAWAY) at once, but the tunnel stays until the slow request is answered.
      let who = 'leaver';
      await until('the agent stopped routing to the leaver', async () => (who = await whoIs({ [DEFAULT_USER_HEADER]: 'leaver' })) !== 'leaver');
      expect(who).toBe('global');
      expect(JSON.parse((await unfinished).body)).toMatchObject({ who: 'leaver' });
      await leaving;
    } finally {
      await leaver.close();
    }
  });

  it('keeps every personal intercept when the global holder dies; plain requests go back to the app', async () => {
    const { outcomes, settledAt } = await aroundAction(mix('global', 'global'), async () => {
      globalHolder.child.kill('SIGKILL');
      await until('the agent dropped the dead global holder', async () => (await agentCounts()).intercepts === 19);
    });
    const routes = mix('app', 'app');
    const personals = outcomes.filter((o) => OTHERS.includes(routes[o.route].headers[DEFAULT_USER_HEADER] ?? ''));
    expect(judge(routes, personals)).toEqual({ misrouted: [], errors: [] });
    const unclaimed = outcomes.filter((o) => !personals.includes(o));
    expect(unclaimed.filter((o) => o.error)).toEqual([]);
    const later = unclaimed.filter((o) => o.sentAt >= settledAt);
    expect(later.length).toBeGreaterThan(20);
    expect(judge(routes, later).misrouted).toEqual([]);
  });
});
