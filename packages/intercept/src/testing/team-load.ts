import http from 'node:http';
import type { LoadSample } from './load';

/** One kind of request in a team's traffic: where it is sent, the headers it carries, who must answer it. */
export interface TeamRoute {
  port: number;
  headers: Record<string, string>;
  /** default /who */
  path?: string;
  /** the name of the server that must answer (the test servers put it in their body as `who`) */
  expect: string;
}

/** What became of one request: `who` answered, or the error it failed with. */
export interface TeamOutcome {
  /** index into the routes */
  route: number;
  /** Date.now() when it was sent */
  sentAt: number;
  ms: number;
  who?: string;
  error?: string;
}

export interface TeamTraffic {
  outcomes: TeamOutcome[];
  /** ends the traffic after the requests in flight; resolves when they are done */
  stop(): Promise<void>;
  /** resolves once `requests` requests were answered or failed, or stop() was called */
  done: Promise<void>;
}

/**
 * A team's traffic: `clients` closed-loop keep-alive clients at once (by default one per route),
 * each sending requests back to back, the routes taken in turn across all of them, so every
 * developer's requests and the plain ones interleave at the agent. Every answer is checked by
 * whoever sent it: the load generator knows who must answer. Runs until `requests` requests
 * have been sent in all (or stop()).
 */
export function teamTraffic(routes: TeamRoute[], { requests = Infinity, clients = routes.length } = {}): TeamTraffic {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const outcomes: TeamOutcome[] = [];
  let sent = 0;
  let running = true;
  const client = async () => {
    while (running && sent < requests) {
      const route = sent++ % routes.length;
      outcomes.push(await ask(routes[route], agent, route));
    }
  };
  const done = Promise.all(Array.from({ length: clients }, client)).then(() => agent.destroy());
  return {
    outcomes,
    done,
    async stop() {
      running = false;
      await done;
    },
  };
}

/** The answers that came from a server other than the one the request belongs to, and the requests that failed. */
export function judge(routes: TeamRoute[], outcomes: TeamOutcome[]): { misrouted: { expected: string; got: string }[]; errors: string[] } {
  const answered = outcomes.filter((o) => o.error === undefined);
  return {
    misrouted: answered.filter((o) => o.who !== routes[o.route].expect).map((o) => ({ expected: routes[o.route].expect, got: String(o.who) })),
    errors: outcomes.flatMap((o) => (o.error === undefined ? [] : [`${routes[o.route].expect}: ${o.error}`])),
  };
}

function ask(route: TeamRoute, agent: http.Agent, index: number): Promise<TeamOutcome> {
  const sentAt = Date.now();
  const started = performance.now();
  return new Promise((resolve) => {
    const failed = (error: string) => resolve({ route: index, sentAt, ms: performance.now() - started, error });
    http
      .get({ host: '127.0.0.1', port: route.port, path: route.path ?? '/who', headers: route.headers, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('error', (error) => failed(error.message));
        res.on('end', () => {
          if (res.statusCode !== 200) return failed(`status ${res.statusCode}: ${body.slice(0, 200)}`);
          const who = (JSON.parse(body) as { who?: unknown }).who;
          resolve({ route: index, sentAt, ms: performance.now() - started, who: String(who) });
        });
      })
      .on('error', (error) => failed(error.message));
  });
}

/** A team run as the benchmark keeps it: every latency, and how many answers were wrong or failed, with a few of them. */
export interface TeamSample extends LoadSample {
  misrouted: number;
  errors: number;
  examples: string[];
}

/** Sends `requests` requests of the team's traffic from `clients` clients and judges every answer. */
export async function measureTeam(routes: TeamRoute[], requests: number, clients: number): Promise<TeamSample> {
  const started = performance.now();
  const traffic = teamTraffic(routes, { requests, clients });
  await traffic.done;
  const elapsedMs = performance.now() - started;
  const { misrouted, errors } = judge(routes, traffic.outcomes);
  return {
    latencies: traffic.outcomes.map((o) => o.ms),
    elapsedMs,
    requests: traffic.outcomes.length,
    misrouted: misrouted.length,
    errors: errors.length,
    examples: [...misrouted.map((m) => `${m.expected}'s request answered by ${m.got}`), ...errors].slice(0, 5),
  };
}
