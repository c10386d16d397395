// gRPC through an intercept: unary calls at concurrency 1 and a server stream, straight to the
// local gRPC server against client → agent → tunnel → connector → local server, and through the
// agent to the app with no intercept (what the agent's HTTP/2 termination costs everyone). Each
// part in its own process as in real use, the client in this one. Writes bench/results/intercept-grpc.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { generateToken } from '../packages/intercept/src/index';
import { type Answer, type WhoClient, whoClient } from '../packages/intercept/src/testing/grpc-servers';
import { agentBundleFile, killAll, median, start, startAgent } from './shared/intercept-processes';
import { percentile, round3 } from './shared/stats';

const here = dirname(fileURLToPath(import.meta.url));
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 1500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const STREAM_MESSAGES = 20_000;

const askOnce = (client: WhoClient) =>
  new Promise<void>((resolve, reject) => client.Ask({ text: 'hi' }, new grpc.Metadata(), (error) => (error ? reject(error) : resolve())));

/** Unary calls one after the other for DURATION_MS: calls/s and latency percentiles in ms. */
async function unary(client: WhoClient): Promise<{ calls_s: number; p50_ms: number; p99_ms: number }> {
  const latencies: number[] = [];
  const end = performance.now() + DURATION_MS;
  while (performance.now() < end) {
    const started = performance.now();
    await askOnce(client);
    latencies.push(performance.now() - started);
  }
  return { calls_s: Math.round(latencies.length / (DURATION_MS / 1000)), p50_ms: round3(percentile(latencies, 50)), p99_ms: round3(percentile(latencies, 99)) };
}

/** One server stream of STREAM_MESSAGES answers: messages/s. */
function stream(client: WhoClient): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let received = 0;
    const call = client.Count({ text: 'x'.repeat(100), n: STREAM_MESSAGES }, new grpc.Metadata());
    call.on('data', (_answer: Answer) => received++);
    call.on('error', reject);
    call.on('end', () => resolve(Math.round(received / ((performance.now() - started) / 1000))));
  });
}

try {
  const token = generateToken();
  const [app, local] = await Promise.all(['app', 'local'].map((NAME) => start('testing/grpc-server-process.ts', { NAME }, () => true)));
  const bundle = await agentBundleFile();
  const intercepted = await startAgent(bundle, token, Number(app.port));
  await start(
    'testing/connector-process.ts',
    { TUNNEL_PORT: String(intercepted.tunnelPort), TOKEN: token, LOCAL_PORT: String(local.port) },
    (line) => line.state === 'active',
  );
  const passthrough = await startAgent(bundle, token, Number(app.port));
  const clients = { direct: whoClient(Number(local.port)), agent_to_app: whoClient(passthrough.servicePort), tunnel: whoClient(intercepted.servicePort) };
  type Path = keyof typeof clients;
  const paths = Object.keys(clients) as Path[];
  // Warm-up: connections, JIT.
  for (const path of paths) for (let i = 0; i < 500; i++) await askOnce(clients[path]);

  const rounds: Record<Path, { calls_s: number; p50_ms: number; p99_ms: number; stream_msgs_s: number }>[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 ? paths : [...paths].reverse();
    const results = {} as (typeof rounds)[number];
    for (const path of order) results[path] = { ...(await unary(clients[path])), stream_msgs_s: await stream(clients[path]) };
    rounds.push(results);
    const { direct: d, agent_to_app: a, tunnel: t } = results;
    process.stdout.write(
      `  round ${round}/${ROUNDS}: unary p50 direct ${d.p50_ms} ms, agent to app ${a.p50_ms} ms, tunnel ${t.p50_ms} ms; stream ${d.stream_msgs_s} / ${a.stream_msgs_s} / ${t.stream_msgs_s} msgs/s; load average ${os.loadavg()[0].toFixed(1)}\n`,
    );
  }
  const kept = median(rounds, (r) => r.tunnel.p50_ms - r.direct.p50_ms);
  const results = {
    ...kept,
    added_p50_ms: { tunnel: round3(kept.tunnel.p50_ms - kept.direct.p50_ms), agent_to_app: round3(kept.agent_to_app.p50_ms - kept.direct.p50_ms) },
    stream_ratio: {
      tunnel: round3(kept.tunnel.stream_msgs_s / kept.direct.stream_msgs_s),
      agent_to_app: round3(kept.agent_to_app.stream_msgs_s / kept.direct.stream_msgs_s),
    },
    stream_messages: STREAM_MESSAGES,
    load_average: os.loadavg()[0],
  };
  const out = join(here, 'results', 'intercept-grpc.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  for (const path of paths) {
    const r = kept[path];
    console.log(
      `${path.padEnd(13)} unary ${String(r.calls_s).padStart(6)} calls/s, p50 ${r.p50_ms.toFixed(3)} ms, p99 ${r.p99_ms.toFixed(3)} ms; stream ${r.stream_msgs_s} msgs/s`,
    );
  }
  console.log(`added p50: tunnel ${results.added_p50_ms.tunnel} ms, agent to app ${results.added_p50_ms.agent_to_app} ms (median round by the tunnel's)`);
  for (const client of Object.values(clients)) client.close();
  console.log(`\nwrote ${out}`);
} finally {
  killAll();
}
