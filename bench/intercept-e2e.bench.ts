// `ffk intercept catalog` end to end on kube-sim with the kit's manifests: how long the installable
// ffk (packages/cli/dist, built first) takes to start an intercept (agent already installed, and
// with the install's rollout), the repository's bin (sources through tsx) and a bare `node -e 0`
// beside it (`ffk --help` is cli-startup's), and how long a banner
// edit takes from save to visible on the storefront's NodePort, against the same edit seen by
// asking the local process directly (the baseline: same run, same restarts of the catalog's
// `npm run dev` watcher). Then a team of 20 developers on one agent against one developer alone
// (shared/team-latency.ts), once the kit is stopped.
// Writes bench/results/intercept-e2e.json and prints a table.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ffk, type FfkInstall, type Kit, type LocalCatalog, localCatalog, startKit } from '../e2e/intercept/kit';
import { buildCli } from '../packages/cli/build-cli';
import { EDITS, saveToVisible } from './shared/save-to-visible';
import { interleavedMedians, verdict } from './shared/spawn-timing';
import { percentile, stats } from './shared/stats';
import { measureTeamLatency, TEAM_TARGET_MS } from './shared/team-latency';

const here = dirname(fileURLToPath(import.meta.url));
const START_TARGET_S = 0.5;
const round = (ms: number) => Math.round(ms);

const median = (values: number[]) => percentile(values, 50);

/** From spawning `ffk intercept` to its `active` event (tunnels open, intercept registered), wall clock. */
async function timeStart(kit: Kit, catalog: LocalCatalog, install: FfkInstall = {}): Promise<{ wallMs: number; reportedMs: number }> {
  const started = performance.now();
  const run = ffk(kit, ['intercept', 'catalog', '--port', String(catalog.port), '-o', 'json'], {}, install);
  try {
    await run.waitFor(/"event":"active"/, 120_000);
    const wallMs = performance.now() - started;
    const active = run
      .output()
      .split('\n')
      .find((line) => line.includes('"event":"active"'));
    if (!active) throw new Error(`ffk matched "active" but printed no active event line:\n${run.output()}`);
    return { wallMs, reportedMs: (JSON.parse(active) as { ms: number }).ms };
  } finally {
    run.child.kill('SIGINT');
    await run.exited;
  }
}

const [kit, catalog, cli] = await Promise.all([startKit(), localCatalog(), buildCli()]);
const bundled: FfkInstall = { bin: cli.bin };
// Absolute times on a shared machine say little without how busy it was.
const loadBefore = loadavg()[0];
let result;
try {
  const { baseline } = await interleavedMedians(5, { baseline: [process.execPath, ['-e', '0']] });
  const cold = await timeStart(kit, catalog, bundled);
  console.log(`  start with install: ${round(cold.wallMs)} ms (ffk reports ${cold.reportedMs} ms after its own start)`);
  const installed: { wallMs: number; reportedMs: number }[] = [];
  for (let i = 0; i < 5; i++) installed.push(await timeStart(kit, catalog, bundled));
  const warm = installed.sort((a, b) => a.wallMs - b.wallMs)[2];
  console.log(`  start, agent installed (bundle, median of 5): ${round(warm.wallMs)} ms (ffk reports ${warm.reportedMs} ms)`);
  const sources: number[] = [];
  for (let i = 0; i < 3; i++) sources.push((await timeStart(kit, catalog)).wallMs);
  console.log(`  start, agent installed (repository bin through tsx, median of 3): ${round(median(sources))} ms`);
  const edits = await saveToVisible(kit, catalog);
  result = {
    name: 'intercept-e2e',
    date: new Date().toISOString(),
    node: process.version,
    load_average: { before: +loadBefore.toFixed(1), after: +loadavg()[0].toFixed(1) },
    start_installed_s: +(warm.wallMs / 1000).toFixed(2),
    start_cold_s: +(cold.wallMs / 1000).toFixed(2),
    node_baseline_s: +(baseline / 1000).toFixed(3),
    target: { start_installed_s: START_TARGET_S },
    pass: warm.wallMs / 1000 <= START_TARGET_S,
    start_installed_from_sources_s: +(median(sources) / 1000).toFixed(2),
    save_to_visible_ms: stats(edits.storefront),
    local_only_ms: stats(edits.local),
    detail: {
      start:
        'wall clock from spawning the installable `ffk` (packages/cli/dist/ffk.mjs) `intercept catalog --port <p>` to its "active" event (tunnel open, intercept registered); median of 5 when installed; from_sources: the repository bin (tsx), median of 3',
      start_reported_by_ffk_ms: { installed: warm.reportedMs, cold: cold.reportedMs },
      start_installed_all_ms: installed.map((i) => round(i.wallMs)),
      node_baseline: '`node -e 0` on the same Node, median of 5: what any Node CLI pays before its first line',
      bundle_bytes: cli.bytes,
      edits: `${EDITS} banner edits in a copy of apps/catalog/src under its "npm run dev" watcher (service-dev), each watched at once through the storefront NodePort (web -> agent -> tunnel -> local) and on the local port`,
      save_to_visible_all_ms: edits.storefront.map(round),
      local_only_all_ms: edits.local.map(round),
    },
  };
} finally {
  catalog.remove();
  await kit.stop();
}
const team = await measureTeamLatency();
const results = { ...result, team_20_developers: team };
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'intercept-e2e.json'), `${JSON.stringify(results, null, 2)}\n`);
const ratio = result.save_to_visible_ms.p50 / result.local_only_ms.p50;
console.table({
  'start, agent installed (s)': { measured: result.start_installed_s, target: `≤ ${START_TARGET_S} ${verdict(result.start_installed_s, START_TARGET_S)}` },
  'node -e 0 (s)': { measured: result.node_baseline_s, target: 'baseline' },
  'the same from the repository bin (s)': { measured: result.start_installed_from_sources_s, target: '-' },
  'start with install (s)': { measured: result.start_cold_s, target: '-' },
  'save → storefront p50 / p95 (ms)': { measured: `${result.save_to_visible_ms.p50} / ${result.save_to_visible_ms.p95}`, target: 'p50 ≤ 500' },
  'save → local process p50 / p95 (ms)': { measured: `${result.local_only_ms.p50} / ${result.local_only_ms.p95}`, target: 'baseline' },
  'storefront p50 / local p50': { measured: +ratio.toFixed(2), target: '≤ 1.25' },
  'team: requests checked / misrouted or failed': {
    measured: `${team.requests} / ${team.misrouted + team.errors}`,
    target: `≥ 10000 / 0 ${team.requests >= 10_000 && team.misrouted + team.errors === 0 ? 'pass' : 'FAIL'}`,
  },
  ...Object.fromEntries(
    Object.entries(team.added_p50_over_one_developer_ms).map(([load, ms]) => [
      `team added p50 over one developer, ${load} (ms)`,
      {
        measured: `${team.added_p50_ms[load]} - ${team.one_developer_added_p50_ms[load]} = ${ms}`,
        target: `≤ ${TEAM_TARGET_MS} ${verdict(ms, TEAM_TARGET_MS)}`,
      },
    ]),
  ),
});
if (team.detail.tunnels_dropped.length) {
  console.log(
    `  team: ${team.detail.tunnels_dropped.length} tunnels dropped by missed heartbeats (a starved process); ${team.misrouted_while_a_tunnel_was_down} requests answered by someone else meanwhile, as the rules say`,
  );
}
// A misrouted request is a bug, not noise.
if (team.misrouted + team.errors > 0) {
  console.log(`✖ team: misrouted or failed requests, e.g. ${team.detail.first_wrong_answers.join('; ')}`);
  process.exitCode = 1;
}
