import { once } from 'node:events';
import http2 from 'node:http2';
import net from 'node:net';
import { freePort } from '@ffk/test-kit';
import * as grpc from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Connector, type ConnectorOptions } from './connector/connector';
import type { RoutedRequest } from './connector/deliver-http';
import { type AgentProcess, startAgentProcess } from './testing/agent-process';
import { type Answer, type GrpcServer, type Question, startGrpcServer, type WhoClient, whoClient } from './testing/grpc-servers';
import { LOCAL } from './testing/pair';
import { openRawPeer } from './testing/raw-peer';
import { PROTOCOL_VERSION } from './tunnel/protocol';

interface Outcome {
  code: grpc.status;
  details: string;
  answers: Answer[];
  /** the x-who response metadata and the x-who-trailer trailer: which server's headers and trailers arrived */
  headerWho?: string;
  trailerWho?: string;
  /** x-ffk-served-by, from the headers or (an answer that is only trailers) the trailers */
  servedBy?: string;
}

function metadataFor(user?: string): grpc.Metadata {
  const metadata = new grpc.Metadata();
  if (user) metadata.set('x-ffk-user', user);
  return metadata;
}

const first = (metadata: grpc.Metadata, key: string) => metadata.get(key)[0]?.toString();

/** Everything a caller sees of one call: its answers, headers, trailers and status. */
function outcomeOf(
  call: grpc.ClientUnaryCall | grpc.ClientReadableStream<Answer> | grpc.ClientDuplexStream<Question, Answer>,
  answers: Answer[],
): Promise<Outcome> {
  const outcome: Outcome = { code: grpc.status.UNKNOWN, details: '', answers };
  call.on('metadata', (metadata: grpc.Metadata) => {
    outcome.headerWho = first(metadata, 'x-who');
    outcome.servedBy = first(metadata, 'x-ffk-served-by');
  });
  return new Promise((resolve) =>
    call.on('status', (status: grpc.StatusObject) =>
      resolve({
        ...outcome,
        code: status.code,
        details: status.details,
        trailerWho: first(status.metadata, 'x-who-trailer'),
        servedBy: outcome.servedBy ?? first(status.metadata, 'x-ffk-served-by'),
      }),
    ),
  );
}

function ask(client: WhoClient, question: Question, user?: string): Promise<Outcome> {
  const answers: Answer[] = [];
  const call = client.Ask(question, metadataFor(user), (_error, answer) => void (answer && answers.push(answer)));
  return outcomeOf(call, answers);
}

function count(client: WhoClient, n: number, user?: string): Promise<Outcome> {
  const answers: Answer[] = [];
  const call = client.Count({ text: 'count', n }, metadataFor(user));
  call.on('data', (answer: Answer) => answers.push(answer));
  return outcomeOf(call, answers);
}

function gather(client: WhoClient, texts: string[], user?: string): Promise<Outcome> {
  const answers: Answer[] = [];
  const call = client.Gather(metadataFor(user), (_error, answer) => void (answer && answers.push(answer)));
  const outcome = outcomeOf(call, answers);
  for (const text of texts) call.write({ text });
  call.end();
  return outcome;
}

/** A conversation: each question written only once the answer to the one before came back, so nothing waits for the end of a stream. */
async function converse(client: WhoClient, texts: string[], user?: string): Promise<Outcome> {
  const answers: Answer[] = [];
  const call = client.Echo(metadataFor(user));
  const outcome = outcomeOf(call, answers);
  for (const text of texts) {
    const answered = new Promise<Answer>((resolve) => call.once('data', resolve));
    call.write({ text });
    answers.push(await answered);
  }
  call.end();
  return outcome;
}

const whoOf = (outcome: Outcome) => outcome.answers.map((a) => a.who);

/** A call that stays open after its first answer, until cancelled or cut. */
async function hang(client: WhoClient): Promise<{ first: Answer; status: Promise<grpc.StatusObject>; cancel(): void }> {
  const call = client.Hang({}, metadataFor());
  const status = new Promise<grpc.StatusObject>((resolve) => call.on('status', resolve));
  call.on('error', () => {});
  const first = await new Promise<Answer>((resolve) => call.once('data', resolve));
  return { first, status, cancel: () => call.cancel() };
}

/** A plain HTTP/2 GET over h2c, not gRPC. */
async function h2Get(port: number, path: string): Promise<{ status: number; servedBy?: string; body: string }> {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  try {
    const stream = session.request({ ':path': path });
    const [headers] = (await once(stream, 'response')) as [http2.IncomingHttpHeaders];
    let body = '';
    for await (const chunk of stream) body += String(chunk);
    return { status: Number(headers[':status']), servedBy: headers['x-ffk-served-by'] as string | undefined, body };
  } finally {
    session.close();
  }
}

async function waitFor(condition: () => boolean, what: string) {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('gRPC (h2c) through an intercept', () => {
  let app: GrpcServer;
  let laptop: GrpcServer;
  let alice: GrpcServer;
  let bob: GrpcServer;
  let agent: AgentProcess;
  let client: WhoClient;
  const connectors: Connector[] = [];

  const connect = (localPort: number, intercept: ConnectorOptions['intercept'], options: Partial<ConnectorOptions> = {}) => {
    const connector = new Connector({
      openStream: () => net.connect({ host: '127.0.0.1', port: agent.tunnelPort }),
      token: agent.token,
      intercept,
      localPort,
      backoff: { initialMs: 50, maxMs: 500 },
      ...options,
    });
    connectors.push(connector);
    return connector;
  };

  beforeAll(async () => {
    [app, laptop, alice, bob] = await Promise.all(['app', 'laptop', 'alice', 'bob'].map((name) => startGrpcServer(name)));
    agent = await startAgentProcess(app.port);
    // One channel for every test: each call is routed on its own, whatever intercepts come and go.
    client = whoClient(agent.servicePort);
  });
  afterEach(async () => void (await Promise.all(connectors.splice(0).map((c) => c.stop()))));
  afterAll(async () => {
    client.close();
    await agent.stop();
    await Promise.all([app, laptop, alice, bob].map((s) => s.close()));
  });

  it('answers unary, server-, client- and bidi-streaming calls from the app, headers and trailers intact, when nobody intercepts', async () => {
    const unary = await ask(client, { text: 'hi' }, 'alice');
    expect(unary).toMatchObject({ code: grpc.status.OK, headerWho: 'app', trailerWho: 'app', answers: [{ who: 'app', text: 'hi' }] });
    const stream = await count(client, 50);
    expect(stream).toMatchObject({ code: grpc.status.OK, headerWho: 'app', trailerWho: 'app' });
    expect(stream.answers.map((a) => a.index)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await gather(client, ['a', 'b', 'c'])).toMatchObject({
      code: grpc.status.OK,
      trailerWho: 'app',
      answers: [{ who: 'app', text: 'a,b,c', index: 3 }],
    });
    const echoed = await converse(client, ['one', 'two', 'three']);
    expect(echoed).toMatchObject({ code: grpc.status.OK, headerWho: 'app', trailerWho: 'app' });
    expect(echoed.answers.map((a) => `${a.who} ${a.text} ${a.index}`)).toEqual(['app one 1', 'app two 2', 'app three 3']);
    // A plain HTTP/2 request gets what the app itself answers to it.
    const [direct, through] = [await h2Get(app.port, '/not/grpc'), await h2Get(agent.servicePort, '/not/grpc')];
    expect(through).toEqual(direct);
  });

  it('sends every call to the laptop under a global intercept, its error statuses included, and back to the app when it leaves', async () => {
    const global = connect(laptop.port, { mode: 'global' });
    const routed: RoutedRequest[] = [];
    global.on('request', (r: RoutedRequest) => routed.push(r));
    await global.start();
    // 3 MB each way: more than a stream's flow-control window on every hop.
    const big = 'b'.repeat(3 * 1024 * 1024);
    expect((await ask(client, { text: big })).answers[0]?.text).toBe(big);
    expect(await ask(client, { text: 'hi' })).toMatchObject({ code: grpc.status.OK, servedBy: LOCAL, headerWho: 'laptop', trailerWho: 'laptop' });
    const error = await ask(client, { text: 'such thing', fail: true });
    expect(error).toMatchObject({ code: grpc.status.NOT_FOUND, details: 'laptop has no such thing', trailerWho: 'laptop' });
    const stream = await count(client, 200);
    expect(stream).toMatchObject({ code: grpc.status.OK, headerWho: 'laptop', trailerWho: 'laptop' });
    expect(stream.answers.map((a) => `${a.who} ${a.index}`)).toEqual(Array.from({ length: 200 }, (_, i) => `laptop ${i + 1}`));
    expect(await gather(client, ['x', 'y'])).toMatchObject({ code: grpc.status.OK, servedBy: LOCAL, answers: [{ who: 'laptop', text: 'x,y', index: 2 }] });
    const echoed = await converse(client, ['one', 'two']);
    expect(echoed.answers.map((a) => `${a.who} ${a.text}`)).toEqual(['laptop one', 'laptop two']);
    expect(echoed).toMatchObject({ code: grpc.status.OK, servedBy: LOCAL, trailerWho: 'laptop' });
    // The kubelet's gRPC probe stays with the app.
    const prober = whoClient(agent.servicePort, { 'grpc.primary_user_agent': 'kube-probe/1.32' });
    expect((await ask(prober, {})).trailerWho).toBe('app');
    prober.close();
    expect(global.stats.routed).toBe(6);
    // What ffk intercept prints per call: the path, the HTTP status and the gRPC status.
    expect(routed.map((r) => [r.method, r.path, r.status, r.grpcStatus])).toEqual([
      ['POST', '/ffk.test.Who/Ask', 200, grpc.status.OK],
      ['POST', '/ffk.test.Who/Ask', 200, grpc.status.OK],
      ['POST', '/ffk.test.Who/Ask', 200, grpc.status.NOT_FOUND],
      ['POST', '/ffk.test.Who/Count', 200, grpc.status.OK],
      ['POST', '/ffk.test.Who/Gather', 200, grpc.status.OK],
      ['POST', '/ffk.test.Who/Echo', 200, grpc.status.OK],
    ]);

    await global.stop();
    expect(whoOf(await ask(client, { text: 'hi' }))).toEqual(['app']);
  });

  it('routes personal intercepts by x-ffk-user metadata, two developers side by side with a global one', async () => {
    const [a, b, global] = [
      connect(alice.port, { mode: 'personal', value: 'alice' }, { owner: 'alice@laptop' }),
      connect(bob.port, { mode: 'personal', value: 'bob' }, { owner: 'bob@laptop' }),
      connect(laptop.port, { mode: 'global' }),
    ];
    await Promise.all([a.start(), b.start()]);
    const calls = await Promise.all([ask(client, {}, 'alice'), ask(client, {}, 'bob'), ask(client, {}), ask(client, {}, 'carol'), count(client, 20, 'bob')]);
    expect(calls.map((c) => c.trailerWho)).toEqual(['alice', 'bob', 'app', 'app', 'bob']);
    expect(calls[4].answers.map((x) => x.index)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));

    await global.start();
    const withGlobal = await Promise.all([ask(client, {}, 'alice'), ask(client, {}, 'bob'), ask(client, {})]);
    expect(withGlobal.flatMap(whoOf)).toEqual(['alice', 'bob', 'laptop']);
  });

  it('cancels the call in the app, and in the local process when intercepted, when the caller cancels it', async () => {
    for (const server of [app, laptop]) {
      if (server === laptop) await connect(laptop.port, { mode: 'global' }).start();
      const before = server.cancelled;
      const call = await hang(client);
      expect(call.first.who).toBe(server.name);
      call.cancel();
      expect((await call.status).code).toBe(grpc.status.CANCELLED);
      await waitFor(() => server.cancelled === before + 1, `${server.name} to see the call cancelled`);
    }
  });

  it('reopens its connection to an app that restarted, and holds a call while the local process restarts', async () => {
    const appPort = app.port;
    await app.close();
    app = await startGrpcServer('app', appPort);
    expect(await ask(client, {})).toMatchObject({ code: grpc.status.OK, trailerWho: 'app' });

    await connect(laptop.port, { mode: 'global' }).start();
    expect(whoOf(await ask(client, {}))).toEqual(['laptop']);
    const laptopPort = laptop.port;
    await laptop.close();
    const held = ask(client, { text: 'held' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    laptop = await startGrpcServer('laptop', laptopPort);
    expect(await held).toMatchObject({ code: grpc.status.OK, servedBy: LOCAL, answers: [{ who: 'laptop', text: 'held' }] });
  });

  it('does not copy calls for a mirror, says so in the agent log, and the app keeps answering them', async () => {
    const mirror = connect(laptop.port, { mode: 'mirror' });
    await mirror.start();
    expect(await ask(client, {})).toMatchObject({ code: grpc.status.OK, trailerWho: 'app' });
    await waitFor(() => agent.lines.some((line) => line.includes('mirror: HTTP/2 (gRPC) calls are not copied')), 'the agent to log that it does not copy');
    expect(mirror.stats.routed).toBe(0);
  });

  it('fails open to the app when the tunnel is cut, and when the connector leaves', async () => {
    const tunnels: net.Socket[] = [];
    const deadPort = await freePort();
    let cut = false;
    const global = connect(
      laptop.port,
      { mode: 'global' },
      {
        // Once cut, reconnecting finds nobody: the port-forward is gone.
        openStream: () => {
          const socket = net.connect({ host: '127.0.0.1', port: cut ? deadPort : agent.tunnelPort });
          tunnels.push(socket);
          return socket;
        },
      },
    );
    await global.start();
    expect(whoOf(await ask(client, {}))).toEqual(['laptop']);
    // A call in flight when the tunnel goes ends with an error, not a hang.
    const inFlight = await hang(client);
    cut = true;
    for (const socket of tunnels) socket.destroy();
    await waitFor(() => global.state.state === 'reconnecting', 'the connector to notice the cut');
    expect((await inFlight.status).code).not.toBe(grpc.status.OK);
    const after = await Promise.all([ask(client, {}), count(client, 5)]);
    expect(after.map((o) => [o.code, o.trailerWho])).toEqual([
      [grpc.status.OK, 'app'],
      [grpc.status.OK, 'app'],
    ]);

    const leaving = connect(laptop.port, { mode: 'global' });
    await leaving.start();
    expect(whoOf(await ask(client, {}))).toEqual(['laptop']);
    await leaving.stop();
    expect(whoOf(await ask(client, {}))).toEqual(['app']);
  });

  it('answers UNAVAILABLE saying what is wrong when the local process is down, after the hold', async () => {
    const deadPort = await freePort();
    await connect(deadPort, { mode: 'global' }, { holdMs: 300 }).start();
    const outcome = await ask(client, { text: 'hi' });
    expect(outcome.code).toBe(grpc.status.UNAVAILABLE);
    expect(outcome.details).toBe(
      `ffk: the local process is not listening on 127.0.0.1:${deadPort} (waited 0.3 s). Start it, or check the port given to ffk intercept.`,
    );
    expect(outcome.servedBy).toBe(LOCAL);

    // Any other HTTP/2 request (no body here, so a replay would be safe) gets the message as a 502.
    const plain = await h2Get(agent.servicePort, '/anything');
    expect(plain).toMatchObject({ status: 502, servedBy: LOCAL });
    expect(plain.body).toMatch(/^ffk: the local process is not listening on 127\.0\.0\.1:\d+/);
  });

  it("says so when the developer's connector refuses gRPC calls, as one older than their support does", async () => {
    const peer = await openRawPeer(agent.tunnelPort);
    peer.send({ type: 'hello', protocol: PROTOCOL_VERSION, token: agent.token, connectorId: 'old-ffk', owner: 'old@laptop', intercept: { mode: 'global' } });
    await peer.next('welcome');
    const outcome = await ask(client, {});
    expect(outcome.code).toBe(grpc.status.UNAVAILABLE);
    expect(outcome.details).toMatch(/the developer's connector refused the call \(an ffk older than its gRPC support/);
    peer.close();
  });
});
