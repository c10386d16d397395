// A peer that holds the token but sends what the protocol does not allow: each bad message is
// answered (refused / dial-failed) or costs that peer its tunnel, and the agent keeps serving.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorRefusedError } from '../connector/connector';
import { whoAnswers } from '../testing/http-client';
import { type AgentFixture, LOCAL, startAgentFixture } from '../testing/pair';
import { openRawPeer, type RawPeer } from '../testing/raw-peer';
import { startTestServer, type TestServer } from '../testing/servers';
import { type InterceptSpec, PROTOCOL_VERSION } from '../tunnel/protocol';

describe('control messages from a peer with the token', () => {
  let f: AgentFixture;
  let local: TestServer;
  const peers: RawPeer[] = [];
  const hello = (extra: Record<string, unknown> = {}) => ({
    type: 'hello',
    protocol: PROTOCOL_VERSION,
    token: f.token,
    connectorId: 'peer-1',
    owner: 'mallory@box',
    ...extra,
  });
  const peer = async () => {
    const p = await openRawPeer(f.agent.tunnelPort);
    peers.push(p);
    return p;
  };

  beforeAll(async () => {
    f = await startAgentFixture();
    local = await startTestServer('local');
    await f.connect(local, { intercept: { mode: 'personal', value: 'dev' } }).start();
  });
  afterEach(async () => {
    peers.splice(0).forEach((p) => p.close());
    // The agent still serves: passthrough, a healthy intercept, its own health port.
    expect(await whoAnswers(f.servicePort)).toBe('app');
    expect(await whoAnswers(f.servicePort, { 'x-ffk-user': 'dev' })).toBe(LOCAL);
  });
  afterAll(async () => {
    await f.close();
    await local.close();
  });

  it.each([
    ['a header that is a number', { mode: 'personal', header: 42, value: 'x' }],
    ['a header that is an object', { mode: 'personal', header: { toLowerCase: 1 }, value: 'x' }],
    ['a value that is an array', { mode: 'personal', value: ['a'] }],
    ['a port that is an object', { mode: 'global', port: { name: 'http' } }],
    ['an intercept that is a string', 'global'],
  ])('refuses a hello with %s and stays up', async (_what, intercept) => {
    const p = await peer();
    p.send(hello({ intercept }));
    expect(await p.next('refused')).toMatchObject({ type: 'refused', code: 'bad-request' });
    await p.closed;
  });

  it.each([
    ['a connectorId that is a number', { connectorId: 7 }],
    ['an owner with a newline', { owner: 'alice\n{"level":50}' }],
    ['an owner of 10,000 characters', { owner: 'a'.repeat(10_000) }],
  ])('refuses a hello with %s', async (_what, extra) => {
    const p = await peer();
    p.send(hello(extra));
    expect(await p.next('refused')).toMatchObject({ code: 'bad-request' });
  });

  it.each([
    ['port 99999', { host: '127.0.0.1', port: 99999 }, /port must be a whole number from 1 to 65535, got 99999/],
    ['port -1', { host: '127.0.0.1', port: -1 }, /port must be/],
    ['port "80"', { host: '127.0.0.1', port: '80' }, /port must be/],
    ['a host that is an object', { host: { hostname: 'x' }, port: 80 }, /host must be a host name or an IP address/],
    ['a host with spaces', { host: 'in ventory', port: 80 }, /host must be/],
    ['an empty host', { host: '', port: 80 }, /host must be/],
  ])('answers a dial to %s with dial-failed, and keeps the tunnel', async (_what, target, message) => {
    const p = await peer();
    p.send(hello());
    await p.next('welcome');
    p.send({ type: 'dial', id: 'd1', ...target });
    const failed = await p.next('dial-failed');
    expect(failed).toMatchObject({ id: 'd1' });
    expect(failed.message).toMatch(message);
    p.send({ type: 'ping' });
    await p.next('pong');
    expect(p.isClosed).toBe(false);
  });

  it('closes only the tunnel of a dial whose id is unusable', async () => {
    const p = await peer();
    p.send(hello());
    await p.next('welcome');
    p.send({ type: 'dial', id: { evil: true }, host: '127.0.0.1', port: 80 });
    await p.closed;
    expect(f.logs.some((l) => l.msg === 'tunnel closed: protocol error' && /dial needs an id/.test(String(l.reason)))).toBe(true);
  });
});

describe('intercept rules that cannot steal', () => {
  let f: AgentFixture;
  let alice: TestServer;
  let bob: TestServer;

  beforeAll(async () => {
    f = await startAgentFixture();
    [alice, bob] = await Promise.all([startTestServer('alice'), startTestServer('bob')]);
  });
  afterAll(async () => {
    await f.close();
    await Promise.all([alice.close(), bob.close()]);
  });

  it.each<[string, unknown, RegExp]>([
    ['no value', { mode: 'personal', value: '' }, /needs a non-empty value for x-ffk-user/],
    ['a blank value', { mode: 'personal', value: '   ' }, /needs a non-empty value/],
    ['no value at all', { mode: 'personal' }, /needs a non-empty value/],
    ['an unknown mode', { mode: 'everyone' }, /mode must be global, personal or mirror, got "everyone"/],
    ['no mode', {}, /mode must be global, personal or mirror/],
    ['the host header', { mode: 'personal', header: 'host', value: 'shop.example' }, /cannot route on the standard request header host/],
    ['the Cookie header', { mode: 'personal', header: 'Cookie', value: 'a=1' }, /standard request header cookie/],
    ['user-agent', { mode: 'personal', header: 'user-agent', value: 'curl/8' }, /standard request header user-agent/],
    ['authorization', { mode: 'personal', header: 'authorization', value: 'Bearer x' }, /standard request header authorization/],
    ['a pseudo-header', { mode: 'personal', header: ':authority', value: 'x' }, /header name|standard request header/],
    ['a header name with a space', { mode: 'personal', header: 'x ffk', value: 'bob' }, /must be a header name/],
    ['a value with a newline', { mode: 'personal', value: 'bob\r\nx: y' }, /visible ASCII/],
  ])('refuses a personal intercept with %s while a teammate holds the global one, and nothing moves', async (_what, intercept, message) => {
    const global = f.connect(alice, { owner: 'alice@laptop' });
    await global.start();
    try {
      const thief = f.connect(bob, { owner: 'bob@laptop', intercept: intercept as InterceptSpec });
      const error = await thief.start().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectorRefusedError);
      expect((error as ConnectorRefusedError).code).toBe('bad-request');
      expect((error as Error).message).toMatch(message);
      // Plain requests and other developers' marked requests still go to the global holder.
      for (const headers of [{}, { 'x-ffk-user': 'carol' }, { 'x-ffk-user': '' }, { host: 'shop.example', cookie: 'a=1' }]) {
        const answer = await whoAnswers(f.servicePort, headers);
        expect(answer).toBe(LOCAL);
      }
      expect(f.agent.intercepts().map((i) => i.owner)).toEqual(['alice@laptop']);
    } finally {
      await f.stopConnectors();
    }
  });

  it('still takes a personal intercept on a header of your own beside the global one', async () => {
    const global = f.connect(alice, { owner: 'alice@laptop' });
    const mine = f.connect(bob, { owner: 'bob@laptop', intercept: { mode: 'personal', header: 'X-Team', value: 'blue' } });
    await global.start();
    await mine.start();
    expect(f.agent.intercepts().map((i) => `${i.owner} ${i.mode} ${i.header ?? ''}`)).toEqual(['alice@laptop global ', 'bob@laptop personal x-team']);
    await f.stopConnectors();
  });
});
