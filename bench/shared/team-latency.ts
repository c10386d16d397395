// A team on one workload (issue 14 part 4), for intercept-e2e: 20 developers with personal
// intercepts (distinct x-ffk-user values) and one with the global intercept on one agent,
// against the same traffic on an agent where one developer holds the global intercept alone,
// both measured in the same run. The agents run as the ConfigMap's bundle, each in its own
// process, and every developer's connector has its own tunnel connection and intercept.
// Each developer has a laptop of their own; two shared cores cannot stand in for 21 of them (21
// connector processes measure the scheduler's wake-ups, not the agent), so each side's connectors
// share one process and its local servers another: what differs between the sides is the agent.
// The load generator checks every answer against the developer it belongs to.
import os from 'node:os';
import { generateToken } from '../../packages/intercept/src/index';
import { type LoadResult, summarize } from '../../packages/intercept/src/testing/load';
import type { TeamRoute, TeamSample } from '../../packages/intercept/src/testing/team-load';
import { DEFAULT_USER_HEADER } from '../../packages/intercept/src/tunnel/protocol';
import { agentBundleFile, killAll, median, start, startAgent, startLoadProcess } from './intercept-processes';
import { round3 } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const DEVELOPERS = Array.from({ length: 20 }, (_, i) => `dev-${String(i + 1).padStart(2, '0')}`);
/** Clients at once: one, and one per developer plus one sending plain requests; requests per measurement at each. */
const LOADS = [
  { clients: 1, requests: 1000 },
  { clients: DEVELOPERS.length + 1, requests: 2000 },
];
export const TEAM_TARGET_MS = 1;
/** Warm-up requests per developer (each has a connector and a local server to warm). */
const WARM_UP_PER_DEVELOPER = Number(process.env.BENCH_WARM_UP ?? 150);
const PATHS = ['one_direct', 'one', 'team_direct', 'team'] as const;

type Path = (typeof PATHS)[number];
type Measured = LoadResult & { misrouted: number; errors: number; examples: string[]; requests: number };
type Round = Record<Path, Measured>;
interface Developer {
  owner: string;
  localPort: number;
  user?: string;
}

const added = (p: Round) => ({ one: p.one.p50_ms - p.one_direct.p50_ms, team: p.team.p50_ms - p.team_direct.p50_ms });
const over = (p: Round) => added(p).team - added(p).one;

/** Test servers named `names`, all in one process: their ports by name. */
const startServers = (names: string[]) =>
  start('testing/test-server-process.ts', { NAMES: names.join(',') }, () => true).then((line) => line.ports as Record<string, number>);

/**
 * One process holding a connector per developer, each over its own tunnel; resolves when all are
 * active. A tunnel the agent drops (a starved process misses its heartbeats) is noted in `drops`:
 * its intercept then ends, by the rules, and its requests rightly go elsewhere until it is back.
 */
function startConnectors(tunnelPort: number, token: string, developers: Developer[], drops: string[]) {
  const active = new Set<unknown>();
  return start(
    'testing/connector-process.ts',
    { TUNNEL_PORT: String(tunnelPort), TOKEN: token, DEVELOPERS: JSON.stringify(developers) },
    (line) => line.state === 'active' && active.add(line.owner).size === developers.length,
    (line) => void (line.state === 'reconnecting' && drops.push(`${String(line.owner)}: ${String(line.reason)}`)),
  );
}

/** Starts both sides; the routes of each path: every developer's requests and plain ones, taken in turn. */
async function startSides(drops: string[]): Promise<Record<Path, TeamRoute[]>> {
  const token = generateToken();
  const bundle = await agentBundleFile();
  const { app } = await startServers(['app']);
  const [one, team] = await Promise.all([startAgent(bundle, token, app), startAgent(bundle, token, app)]);
  const locals = { ...(await startServers(['solo'])), ...(await startServers(['global', ...DEVELOPERS])) };
  await Promise.all([
    startConnectors(one.tunnelPort, token, [{ owner: 'solo', localPort: locals.solo }], drops),
    startConnectors(
      team.tunnelPort,
      token,
      [{ owner: 'global', localPort: locals.global }, ...DEVELOPERS.map((user) => ({ owner: user, user, localPort: locals[user] }))],
      drops,
    ),
  ]);
  const mix = (port: (owner: string) => number, answerer: (owner: string) => string): TeamRoute[] => [
    ...DEVELOPERS.map((user) => ({ port: port(user), headers: { [DEFAULT_USER_HEADER]: user }, expect: answerer(user) })),
    { port: port('global'), headers: {}, expect: answerer('global') },
  ];
  return {
    one_direct: mix(
      () => locals.solo,
      () => 'solo',
    ),
    one: mix(
      () => one.servicePort,
      () => 'solo',
    ),
    team_direct: mix(
      (owner) => locals[owner],
      (owner) => owner,
    ),
    team: mix(
      () => team.servicePort,
      (owner) => owner,
    ),
  };
}

const counts = () => ({ requests: 0, misrouted: 0, errors: 0, misrouted_while_a_tunnel_was_down: 0 });

/** Runs the measurements, keeping count of every answer through each agent. */
function measurer(routes: Record<Path, TeamRoute[]>, load: Awaited<ReturnType<typeof startLoadProcess>>, drops: string[]) {
  const checked = { team: counts(), one: counts() };
  const examples: string[] = [];
  const measure = async (path: Path, clients: number, requests: number): Promise<Measured> => {
    const dropsBefore = drops.length;
    const sample = await load.run<TeamSample>({ kind: 'team', routes: routes[path], requests, clients });
    const tunnelDown = drops.length > dropsBefore;
    const through = path === 'team' || path === 'one' ? checked[path] : undefined;
    if (through) {
      through.requests += sample.requests;
      through[tunnelDown ? 'misrouted_while_a_tunnel_was_down' : 'misrouted'] += sample.misrouted;
      through.errors += sample.errors;
    }
    if (!tunnelDown) examples.push(...sample.examples);
    return { ...summarize([sample]), misrouted: sample.misrouted, errors: sample.errors, examples: sample.examples, requests: sample.requests };
  };
  return { measure, checked, examples };
}

/** `ROUNDS` rounds at each load, the four paths back to back, in turn forwards and backwards, so a burst of other work hits all of them. */
async function measureRounds(measure: ReturnType<typeof measurer>['measure'], log: (line: string) => void) {
  const kept: Record<string, Round> = {};
  const rounds: Record<string, number[]> = {};
  for (const { clients, requests } of LOADS) {
    const all: Round[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const pair = {} as Round;
      for (const path of round % 2 ? PATHS : [...PATHS].reverse()) pair[path] = await measure(path, clients, requests);
      all.push(pair);
      const { one, team } = added(pair);
      log(
        `  team c${clients} round ${round}/${ROUNDS}: added p50 one developer ${one.toFixed(3)} ms, team ${team.toFixed(3)} ms (${(team - one).toFixed(3)}); ${pair.team.misrouted} misrouted; load average ${os.loadavg()[0].toFixed(1)}`,
      );
    }
    kept[`c${clients}`] = median(all, over);
    rounds[`c${clients}`] = all.map((r) => round3(over(r)));
  }
  return { kept, rounds };
}

/** Measures the team and the lone developer; the figures intercept-e2e.json keeps under `team_20_developers`. */
export async function measureTeamLatency(log: (line: string) => void = console.log) {
  const drops: string[] = [];
  try {
    log(`  team: 20 personal + 1 global intercept on one agent, one developer alone on another; ${ROUNDS} rounds at c1 and c21`);
    const routes = await startSides(drops);
    const { measure, checked, examples } = measurer(routes, await startLoadProcess(), drops);
    // JIT warm-up, checked like the rest: every developer as warm as the lone developer, who takes the whole mix.
    for (const path of PATHS) await measure(path, DEVELOPERS.length + 1, WARM_UP_PER_DEVELOPER * routes[path].length);
    const { kept, rounds } = await measureRounds(measure, log);
    const figure = (f: (p: Round) => number) => Object.fromEntries(Object.entries(kept).map(([load, p]) => [load, round3(f(p))]));
    const overOne = figure(over);
    return {
      developers: { personal: DEVELOPERS.length, global: 1 },
      requests: checked.team.requests,
      misrouted: checked.team.misrouted,
      errors: checked.team.errors,
      misrouted_while_a_tunnel_was_down: checked.team.misrouted_while_a_tunnel_was_down,
      added_p50_ms: figure((p) => added(p).team),
      one_developer_added_p50_ms: figure((p) => added(p).one),
      added_p50_over_one_developer_ms: overOne,
      target: { added_p50_over_one_developer_ms: TEAM_TARGET_MS, misrouted: 0, requests_at_least: 10_000 },
      pass: checked.team.misrouted + checked.team.errors === 0 && checked.team.requests >= 10_000 && Object.values(overOne).every((ms) => ms <= TEAM_TARGET_MS),
      detail: {
        what: `added p50 = p50 through the agent minus p50 of the same mix sent straight to the local servers; c1: one client, c21: 21 clients at once; the median round of ${ROUNDS} by the team's added p50 over the one developer's; every answer checked, warm-up included. Each side's connectors share one process (each with its own tunnel) and its local servers another, as laptops of their own would not compete for this machine's cores`,
        one_developer_requests: checked.one.requests,
        one_developer_misrouted: checked.one.misrouted + checked.one.errors,
        tunnels_dropped: drops,
        rounds_added_p50_over_one_developer_ms: rounds,
        kept_rounds: Object.fromEntries(
          Object.entries(kept).map(([load, p]) => [
            load,
            Object.fromEntries(PATHS.map((path) => [path, { rps: p[path].rps, p50_ms: p[path].p50_ms, p99_ms: p[path].p99_ms }])),
          ]),
        ),
        first_wrong_answers: examples.slice(0, 5),
      },
    };
  } finally {
    killAll();
  }
}
