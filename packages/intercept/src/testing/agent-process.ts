import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { generateToken } from '../tunnel/token';

const main = fileURLToPath(new URL('../agent/main.ts', import.meta.url));

export interface AgentProcess {
  token: string;
  servicePort: number;
  tunnelPort: number;
  healthPort: number;
  /** what it has written to stdout, line by line (JSON logs at info) */
  readonly lines: string[];
  /** set once the process has exited: how, and the end of what it wrote to stderr */
  readonly exit: string | undefined;
  stop(): Promise<void>;
}

/** The sidecar's env for an agent on loopback in front of the app on `appPort`, every port of its own picked by the system. */
export function loopbackAgentEnv(token: string, appPort: number): Record<string, string> {
  return {
    FFK_AGENT_TOKEN: token,
    FFK_AGENT_PORTS: `http:0:${appPort}`,
    FFK_AGENT_BIND: '127.0.0.1',
    FFK_AGENT_TUNNEL: '127.0.0.1:0',
    FFK_AGENT_HEALTH_PORT: '0',
    LOG_LEVEL: 'info',
  };
}

/** The agent's entry point in its own process, as the sidecar runs it, so a crash is an exit a test sees. */
export async function startAgentProcess(appPort: number): Promise<AgentProcess> {
  const token = generateToken();
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { PATH: process.env.PATH, ...loopbackAgentEnv(token, appPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let exit: string | undefined;
  const lines: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = `exited with ${signal ?? `code ${code}`}: ${stderr.trim()}`;
      resolve();
    }),
  );
  const ready = await new Promise<{ ports: { listen: number }[]; tunnel: string; health: number }>((resolve, reject) => {
    child.once('exit', () => reject(new Error(`the agent did not start: ${exit}`)));
    // Log lines may hold U+2028 from what peers sent (valid JSON, but a line end to readline).
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      if (line.includes('"agent ready"')) resolve(JSON.parse(line) as never);
    });
  });
  return {
    token,
    servicePort: ready.ports[0].listen,
    tunnelPort: Number(ready.tunnel.split(':').pop()),
    healthPort: ready.health,
    lines,
    get exit() {
      return exit;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
