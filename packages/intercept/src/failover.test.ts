import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { defined } from '@ffk/test-kit/defined';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whoAnswers } from './testing/http-client';
import { type AgentFixture, LOCAL, startAgentFixture } from './testing/pair';
import { startTestServer, type TestServer } from './testing/servers';

interface Outcome {
  at: number;
  who?: string;
  error?: string;
}

/** Steady traffic: `loops` clients each sending one request after the other, 10 ms apart. */
function traffic(port: number, loops: number) {
  const outcomes: Outcome[] = [];
  const agent = new http.Agent({ keepAlive: true });
  let running = true;
  const loop = async () => {
    while (running) {
      const at = Date.now();
      try {
        outcomes.push({ at, who: await whoAnswers(port, {}, agent) });
      } catch (error) {
        outcomes.push({ at, error: (error as Error).message });
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const done = Promise.all(Array.from({ length: loops }, loop));
  return {
    outcomes,
    async stop() {
      running = false;
      await done;
      agent.destroy();
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('fail-open when the connector process dies or hangs', () => {
  let f: AgentFixture;
  let local: TestServer;
  let child: ChildProcess;
  const states: { state: string }[] = [];
  const waitForState = async (state: string, after: number) => {
    const deadline = Date.now() + 10_000;
    while (states.slice(after).every((s) => s.state !== state)) {
      if (Date.now() > deadline) throw new Error(`connector never reached ${state}; states: ${JSON.stringify(states)}`);
      await sleep(20);
    }
  };

  beforeAll(async () => {
    f = await startAgentFixture();
    local = await startTestServer('local');
    const script = fileURLToPath(new URL('./testing/connector-process.ts', import.meta.url));
    child = spawn(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, TUNNEL_PORT: String(f.agent.tunnelPort), TOKEN: f.token, LOCAL_PORT: String(local.port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: defined(child.stdout, 'the connector process output') }).on('line', (line) => states.push(JSON.parse(line) as { state: string }));
    await waitForState('active', 0);
  });
  afterAll(async () => {
    child.kill('SIGKILL');
    await f.close();
    await local.close();
  });

  it('sends traffic back to the app after ~3 missed heartbeats of a hung connector, without failing requests', async () => {
    expect(await whoAnswers(f.servicePort)).toBe(LOCAL);
    const load = traffic(f.servicePort, 4);
    await sleep(300);
    const stoppedAt = Date.now();
    child.kill('SIGSTOP');
    await sleep(4500);
    await load.stop();
    const after = load.outcomes.filter((o) => o.at > stoppedAt);
    // Requests caught in the hung tunnel are replayed to the app once the agent gives up on it.
    expect(after.filter((o) => o.error)).toEqual([]);
    expect(after.find((o) => o.who === 'app')).toBeDefined();
    const started = after.filter((o) => o.at > stoppedAt + 4000);
    expect(started.length).toBeGreaterThan(10);
    expect(started.every((o) => o.who === 'app')).toBe(true);
    expect(f.logs.some((l) => l.msg === 'intercept stopped' && String(l.reason).startsWith('no heartbeat'))).toBe(true);
  });

  it('re-registers when the hung connector wakes up', async () => {
    const before = states.length;
    child.kill('SIGCONT');
    await waitForState('active', before);
    expect(states.slice(before).map((s) => s.state)).toContain('reconnecting');
    expect(await whoAnswers(f.servicePort)).toBe(LOCAL);
  });

  it('serves every new request from the app within 1 s of a SIGKILL, with no failures after', async () => {
    const load = traffic(f.servicePort, 4);
    await sleep(300);
    expect(load.outcomes.some((o) => o.who === LOCAL)).toBe(true);
    const killedAt = Date.now();
    child.kill('SIGKILL');
    await sleep(2000);
    await load.stop();
    const later = load.outcomes.filter((o) => o.at >= killedAt + 1000);
    expect(later.length).toBeGreaterThan(20);
    expect(later.filter((o) => o.who !== 'app')).toEqual([]);
    const firstApp = defined(
      load.outcomes.find((o) => o.at >= killedAt && o.who === 'app'),
      'an answer from the app after SIGKILL',
    );
    const failedDuring = load.outcomes.filter((o) => o.at >= killedAt && o.error).length;
    console.log(`app answered ${firstApp.at - killedAt} ms after SIGKILL; ${failedDuring} requests failed in between`);
    expect(firstApp.at - killedAt).toBeLessThan(1000);
  });
});
