// The intercept benchmarks' processes: every part in its own Node process as in real use (the
// agent as the bundle its ConfigMap carries, connectors and servers as src through tsx, load
// generators forked), all ended by killAll() in the benchmark's finally.
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildAgentBundle } from '../../packages/intercept/src/agent/bundle';
import type { LoadCommand } from '../../packages/intercept/src/testing/load-process';

const src = join(dirname(fileURLToPath(import.meta.url)), '../../packages/intercept/src');
const children: ChildProcess[] = [];
const cleanups: (() => void)[] = [];

export function median<T>(rounds: T[], by: (round: T) => number): T {
  return [...rounds].sort((a, b) => by(a) - by(b))[Math.floor(rounds.length / 2)];
}

/**
 * Starts a script in its own Node process (a TypeScript file of the intercept package's src
 * through tsx, as the CLI runs the connector, or the agent's bundle as its image runs it);
 * resolves with its first stdout line matching `ready`, and its pid. `onLine` sees every line.
 */
export function start(
  script: string,
  env: Record<string, string>,
  ready: (line: Record<string, unknown>) => boolean,
  onLine?: (line: Record<string, unknown>) => void,
): Promise<Record<string, unknown>> {
  const args = script.endsWith('.mjs') ? [script] : ['--import', 'tsx', join(src, script)];
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited ${code} before it was ready`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      onLine?.(parsed);
      if (ready(parsed)) resolve({ ...parsed, pid: child.pid });
    });
  });
}

/** Writes the bundle the CLI puts in the agent's ConfigMap to a temporary file; returns its path. */
export async function agentBundleFile(): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), 'ffk-bench-agent-'));
  cleanups.push(() => rmSync(work, { recursive: true, force: true }));
  const file = join(work, 'agent.mjs');
  writeFileSync(file, await buildAgentBundle());
  return file;
}

/** The agent bundle in its own process in front of the app on `appPort`: its service port and tunnel port. */
export async function startAgent(bundle: string, token: string, appPort: number): Promise<{ pid: number; servicePort: number; tunnelPort: number }> {
  const agent = await start(
    bundle,
    {
      FFK_AGENT_TOKEN: token,
      FFK_AGENT_PORTS: `http:0:${appPort}`,
      FFK_AGENT_BIND: '127.0.0.1',
      FFK_AGENT_TUNNEL: '127.0.0.1:0',
      FFK_AGENT_HEALTH_PORT: '0',
      LOG_LEVEL: 'info',
    },
    (line) => line.msg === 'agent ready',
  );
  return {
    pid: Number(agent.pid),
    servicePort: (agent.ports as { listen: number }[])[0].listen,
    tunnelPort: Number(String(agent.tunnel).split(':').pop()),
  };
}

/** A load generator process; `run` sends it one measurement and resolves with its result. */
export async function startLoadProcess(): Promise<{ pid: number; run<T>(command: LoadCommand): Promise<T> }> {
  const child = fork(join(src, 'testing/load-process.ts'), { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`the load process exited ${code} before it was ready`)));
  });
  if (child.pid === undefined) throw new Error(`could not start the load process`);
  return {
    pid: child.pid,
    run: <T>(command: LoadCommand) =>
      new Promise<T>((resolve, reject) => {
        child.once('message', (answer: { result?: T; error?: string }) => (answer.error ? reject(new Error(answer.error)) : resolve(answer.result as T)));
        child.send(command);
      }),
  };
}

/** Ends every process started here and removes the bundle's directory. */
export function killAll(): void {
  for (const child of children) child.kill('SIGKILL');
  for (const cleanup of cleanups) cleanup();
}
