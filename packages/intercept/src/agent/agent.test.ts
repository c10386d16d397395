import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorRefusedError } from '../connector/connector';
import { bodyWho, get, whoAnswers } from '../testing/http-client';
import { type AgentFixture, LOCAL, startAgentFixture } from '../testing/pair';
import { startTestServer, type TestServer } from '../testing/servers';

describe('agent routing', () => {
  let f: AgentFixture;
  let alice: TestServer;
  let bob: TestServer;
  const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });

  beforeAll(async () => {
    f = await startAgentFixture();
    [alice, bob] = await Promise.all([startTestServer('alice'), startTestServer('bob')]);
  });
  afterEach(() => f.stopConnectors());
  afterAll(async () => {
    keepAlive.destroy();
    await f.close();
    await Promise.all([alice.close(), bob.close()]);
  });

  it('passes every request to the app when nobody intercepts', async () => {
    expect(await whoAnswers(f.servicePort)).toBe('app');
    expect(await whoAnswers(f.servicePort, { 'x-ffk-user': 'alice' })).toBe('app');
  });

  it('routes a personal intercept by x-ffk-user, and another by a custom header, at the same time', async () => {
    // One keep-alive connection, opened before the intercepts: each request is routed on its own.
    expect(await whoAnswers(f.servicePort, {}, keepAlive)).toBe('app');
    const a = f.connect(alice, { intercept: { mode: 'personal', value: 'alice' }, owner: 'alice@laptop' });
    const b = f.connect(bob, { intercept: { mode: 'personal', header: 'X-Team', value: 'blue' }, owner: 'bob@laptop' });
    const [stateA] = await Promise.all([a.start(), b.start()]);
    expect(stateA).toMatchObject({ state: 'active', intercept: { mode: 'personal', header: 'x-ffk-user', value: 'alice', owner: 'alice@laptop' } });

    const alicesAnswer = await get(f.servicePort, '/who', { 'x-ffk-user': 'alice' }, keepAlive);
    expect(alicesAnswer.headers['x-ffk-served-by']).toBe(LOCAL);
    expect(bodyWho(alicesAnswer)).toBe('alice');
    expect(await whoAnswers(f.servicePort, { 'x-team': 'blue' }, keepAlive)).toBe(LOCAL);
    expect(bodyWho(await get(f.servicePort, '/who', { 'x-team': 'blue' }))).toBe('bob');
    expect(await whoAnswers(f.servicePort, {}, keepAlive)).toBe('app');
    expect(await whoAnswers(f.servicePort, { 'x-ffk-user': 'carol' }, keepAlive)).toBe('app');
    expect(a.stats.routed).toBe(1);
    expect(f.logs.some((l) => l.msg === 'intercept started' && l.owner === 'alice@laptop')).toBe(true);

    await a.stop();
    expect(await whoAnswers(f.servicePort, { 'x-ffk-user': 'alice' }, keepAlive)).toBe('app');
    expect(f.logs.some((l) => l.msg === 'intercept stopped' && l.owner === 'alice@laptop')).toBe(true);
    await b.stop();
  });

  it('refuses a second global intercept naming its holder; personal intercepts win over the global one', async () => {
    const global = f.connect(alice, { owner: 'alice@laptop' });
    await global.start();
    const second = f.connect(bob, { owner: 'bob@laptop' });
    const refusal = await second.start().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ConnectorRefusedError);
    expect((refusal as Error).message).toMatch(/already has a global intercept, held by alice@laptop/);
    expect(second.state.state).toBe('refused');

    const personal = f.connect(bob, { owner: 'bob@laptop', intercept: { mode: 'personal', value: 'bob' } });
    await personal.start();
    const whoBob = bodyWho(await get(f.servicePort, '/who', { 'x-ffk-user': 'bob' }));
    const whoElse = bodyWho(await get(f.servicePort, '/who'));
    expect([whoBob, whoElse]).toEqual(['bob', 'alice']);
    await Promise.all([global.stop(), personal.stop()]);
    expect(await whoAnswers(f.servicePort)).toBe('app');
  });

  it('never forwards kubelet probes or probe paths to a developer, and answers its own /healthz', async () => {
    const global = f.connect(alice);
    await global.start();
    expect(await whoAnswers(f.servicePort)).toBe(LOCAL);
    expect(await whoAnswers(f.servicePort, { 'user-agent': 'kube-probe/1.32' })).toBe('app');
    expect((await get(f.servicePort, '/readyz')).headers['x-ffk-served-by']).toBe('app');
    const health = await get(f.agent.healthPort, '/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', intercepts: 1 });
    await global.stop();
  });
});
