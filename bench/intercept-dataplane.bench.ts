// Intercept data plane: direct-to-local against client → agent → tunnel → connector → local,
// each part in its own process as in real use, all on loopback, the same load generator for
// both. Writes bench/results/intercept-dataplane.json and prints a table with the targets.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { agentBundle } from '../packages/intercept/build-agent';
import { generateToken } from '../packages/intercept/src/index';
import { measureDownload, measureRequests, type LoadResult } from '../packages/intercept/src/testing/load';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, '../packages/intercept/src');
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 1500);
/** Direct and tunnel take turns this many times per measurement; each keeps its median round. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BULK_MB = 200;
const children: ChildProcess[] = [];
const cleanups: (() => void)[] = [];

function median<T>(rounds: T[], by: (round: T) => number): T {
  return [...rounds].sort((a, b) => by(a) - by(b))[Math.floor(rounds.length / 2)]!;
}

/**
 * Starts a script in its own Node process (a TypeScript file of src through tsx, as the CLI
 * runs the connector, or the agent's bundle as its image runs it); resolves with its first
 * stdout line matching `ready`.
 */
function start(script: string, env: Record<string, string>, ready: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  const args = script.endsWith('.mjs') ? [script] : ['--import', 'tsx', join(src, script)];
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited ${code} before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if (ready(parsed)) resolve(parsed);
    });
  });
}

try {
  const token = generateToken();
  const app = await start('testing/test-server-process.ts', { NAME: 'app' }, () => true);
  const local = await start('testing/test-server-process.ts', { NAME: 'local' }, () => true);
  const work = mkdtempSync(join(tmpdir(), 'ffk-bench-agent-'));
  cleanups.push(() => rmSync(work, { recursive: true, force: true }));
  const agentBundleFile = join(work, 'agent.mjs');
  await build(agentBundle(agentBundleFile)); // the same bundle as the ffk/agent image
  const agent = await start(
    agentBundleFile,
    { FFK_AGENT_TOKEN: token, FFK_AGENT_PORTS: `http:0:${app.port}`, FFK_AGENT_BIND: '127.0.0.1', FFK_AGENT_TUNNEL: '127.0.0.1:0', FFK_AGENT_HEALTH_PORT: '0', LOG_LEVEL: 'info' },
    (line) => line.msg === 'agent ready',
  );
  const tunnelPort = Number(String(agent.tunnel).split(':').pop());
  await start('testing/connector-process.ts', { TUNNEL_PORT: String(tunnelPort), TOKEN: token, LOCAL_PORT: String(local.port) }, (line) => line.state === 'active');
  const direct = Number(local.port);
  const tunnel = (agent.ports as { listen: number }[])[0]!.listen;

  const results = { direct: {} as Record<string, LoadResult>, tunnel: {} as Record<string, LoadResult>, bulk_mb_s: { direct: 0, tunnel: 0 } };
  // The machine is shared: short rounds that alternate between the two paths let a burst of
  // other work hit both, and the median round of each (by req/s, with its own latencies) drops it.
  const paths = [['direct', direct], ['tunnel', tunnel]] as const;
  process.stdout.write(`  machine: ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)} before the run (other work skews single rounds)\n`);
  for (const concurrency of [1, 50]) {
    const rounds = { direct: [] as LoadResult[], tunnel: [] as LoadResult[] };
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [name, port] of paths) {
        const result = await measureRequests(port, '/who', concurrency, DURATION_MS);
        rounds[name].push(result);
        process.stdout.write(`  c${concurrency} round ${round}/${ROUNDS} ${name}: ${result.rps} req/s (${DURATION_MS / 1000} s of GET /who)\n`);
      }
    }
    for (const name of ['direct', 'tunnel'] as const) results[name][`c${concurrency}`] = median(rounds[name], (r) => r.rps);
  }
  const downloads = { direct: [] as number[], tunnel: [] as number[] };
  for (const [, port] of paths) await measureDownload(port, 20); // warm-up
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [name, port] of paths) {
      downloads[name].push(await measureDownload(port, BULK_MB));
      process.stdout.write(`  bulk round ${round}/${ROUNDS} ${name}: ${downloads[name].at(-1)} MB/s (${BULK_MB} MB download)\n`);
    }
  }
  for (const [name] of paths) results.bulk_mb_s[name] = median(downloads[name], (mbs) => mbs);

  const out = join(here, 'results', 'intercept-dataplane.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);

  const { direct: d, tunnel: t, bulk_mb_s: bulk } = results;
  const row = (label: string, r: LoadResult) => `${label.padEnd(12)} ${String(r.rps).padStart(8)} ${r.p50_ms.toFixed(3).padStart(9)} ${r.p99_ms.toFixed(3).padStart(9)}`;
  console.log(`\n${'path'.padEnd(12)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)}`);
  console.log(row('direct c1', d.c1!));
  console.log(row('tunnel c1', t.c1!));
  console.log(row('direct c50', d.c50!));
  console.log(row('tunnel c50', t.c50!));
  console.log(`bulk MB/s    direct ${bulk.direct}  tunnel ${bulk.tunnel}\n`);
  const checks: [string, boolean][] = [
    [`added p50 at c1 ${(t.c1!.p50_ms - d.c1!.p50_ms).toFixed(3)} ms <= 1 ms`, t.c1!.p50_ms - d.c1!.p50_ms <= 1],
    [`tunnel req/s at c50 ${(t.c50!.rps / d.c50!.rps).toFixed(2)} x direct >= 0.35`, t.c50!.rps >= 0.35 * d.c50!.rps],
    [`tunnel bulk ${bulk.tunnel} MB/s >= 150`, bulk.tunnel >= 150],
  ];
  for (const [text, ok] of checks) console.log(`${ok ? '✔' : '✖ target missed:'} ${text}`);
  console.log(`\nwrote ${out}`);
} finally {
  for (const child of children) child.kill('SIGKILL');
  for (const cleanup of cleanups) cleanup();
}
