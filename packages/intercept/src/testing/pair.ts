import net from 'node:net';
import os from 'node:os';
import pino from 'pino';
import { type RunningAgent, startAgent } from '../agent/agent';
import { AGENT_DEFAULTS, type AgentConfig } from '../agent/config';
import { Connector, type ConnectorOptions } from '../connector/connector';
import { generateToken } from '../tunnel/token';
import { startTestServer, type TestServer } from './servers';

export const LOCAL = `local (${os.hostname()})`;

export interface AgentFixture {
  app: TestServer;
  agent: RunningAgent;
  token: string;
  /** the agent's JSON log lines */
  logs: Record<string, unknown>[];
  /** a fresh TCP stream to the tunnel port: what a port-forward gives the CLI */
  openStream: () => net.Socket;
  servicePort: number;
  /** a connector to this agent delivering to `local`; stopped by close() */
  connect(local: TestServer | number, options?: Partial<ConnectorOptions>): Connector;
  /** stops every connector made by connect(), so one test's intercept never leaks into the next */
  stopConnectors(): Promise<void>;
  close(): Promise<void>;
}

/** An app server behind a running agent (its tunnel on loopback), plus connectors on demand. */
export async function startAgentFixture(
  overrides: Partial<Pick<AgentConfig, 'heartbeatMs' | 'missedHeartbeats' | 'timeouts' | 'mirrorLimits'>> = {},
): Promise<AgentFixture> {
  const app = await startTestServer('app');
  const token = generateToken();
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const agent = await startAgent(
    {
      ...AGENT_DEFAULTS,
      probePaths: [...AGENT_DEFAULTS.probePaths],
      token,
      ports: [{ name: 'http', listen: 0, app: app.port, protocol: 'http' }],
      bindHost: '127.0.0.1',
      tunnelPort: 0,
      healthPort: 0,
      podName: 'catalog-abc',
      ...overrides,
    },
    logger,
  );
  const connectors: Connector[] = [];
  const stopConnectors = async () => void (await Promise.all(connectors.splice(0).map((c) => c.stop())));
  const openStream = () => net.connect({ host: '127.0.0.1', port: agent.tunnelPort });
  return {
    app,
    agent,
    token,
    logs,
    openStream,
    servicePort: agent.ports[0].listen,
    connect(local, options = {}) {
      const connector = new Connector({
        openStream,
        token,
        intercept: { mode: 'global' },
        localPort: typeof local === 'number' ? local : local.port,
        backoff: { initialMs: 50, maxMs: 500 },
        ...options,
      });
      connectors.push(connector);
      return connector;
    },
    stopConnectors,
    async close() {
      await stopConnectors();
      await agent.close();
      await app.close();
    },
  };
}
