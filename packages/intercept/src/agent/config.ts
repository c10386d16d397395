import type { ConnectionTimeouts } from './connection-timeouts';
import type { MirrorLimits } from './mirror';

/**
 * The agent's configuration, read from its container's environment. `agentEnv` is the inverse
 * for the CLI, which writes the sidecar's env: keep the two in this one file.
 */
export interface AgentPort {
  /** port name the Service targets (the app's original port name, e.g. "http") */
  name: string;
  /** where the agent listens (0 = any free port, for tests) */
  listen: number;
  /** the app container's port the agent forwards to */
  app: number;
  /** 'http' ports can be intercepted per request; 'tcp' ports only globally, per connection */
  protocol: 'http' | 'tcp';
}

export interface AgentConfig {
  /** shared secret a connector must present on the tunnel */
  token: string;
  ports: AgentPort[];
  /** address of the service ports and the health port (the pod's IP, or all) */
  bindHost: string;
  /** where the app container listens (the pod's loopback) */
  appHost: string;
  /** tunnel listener: the pod's loopback only, reached through a port-forward */
  tunnelHost: string;
  tunnelPort: number;
  /** the agent's own /healthz for the kubelet */
  healthPort: number;
  /** request paths that always go to the app, like the kubelet's probes */
  probePaths: string[];
  /** how often the connector must send a heartbeat, and how many may be missed */
  heartbeatMs: number;
  missedHeartbeats: number;
  podName: string;
  logLevel: string;
  /** slowloris and idle limits of the service ports (default CONNECTION_TIMEOUTS; tests shorten them) */
  timeouts?: ConnectionTimeouts;
  /** the bounded queue of each mirror intercept (default MIRROR_LIMITS; tests shorten it) */
  mirrorLimits?: MirrorLimits;
}

export const AGENT_DEFAULTS = {
  bindHost: '0.0.0.0',
  appHost: '127.0.0.1',
  tunnelHost: '127.0.0.1',
  tunnelPort: 9901,
  healthPort: 9902,
  probePaths: ['/healthz', '/readyz', '/livez'],
  heartbeatMs: 1000,
  missedHeartbeats: 3,
  logLevel: 'info',
} as const;

const MIN_TOKEN_LENGTH = 16;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class AgentConfigError extends Error {}

type Env = Record<string, string | undefined>;

/** Reads and validates the env; throws AgentConfigError with one line naming the variable. */
export function parseAgentEnv(env: Env): AgentConfig {
  const token = required(env, 'FFK_AGENT_TOKEN');
  if (token.length < MIN_TOKEN_LENGTH) bad('FFK_AGENT_TOKEN', `must be at least ${MIN_TOKEN_LENGTH} characters`);
  const [tunnelHost, tunnelPort] = hostPort(env, 'FFK_AGENT_TUNNEL', `${AGENT_DEFAULTS.tunnelHost}:${AGENT_DEFAULTS.tunnelPort}`);
  const logLevel = env.LOG_LEVEL || AGENT_DEFAULTS.logLevel;
  if (!LOG_LEVELS.includes(logLevel)) bad('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got '${logLevel}'`);
  return {
    token,
    ports: parsePorts(required(env, 'FFK_AGENT_PORTS')),
    bindHost: env.FFK_AGENT_BIND || AGENT_DEFAULTS.bindHost,
    appHost: env.FFK_AGENT_APP_HOST || AGENT_DEFAULTS.appHost,
    tunnelHost,
    tunnelPort,
    healthPort: integer(env, 'FFK_AGENT_HEALTH_PORT', AGENT_DEFAULTS.healthPort, 0, 65535),
    probePaths: (env.FFK_AGENT_PROBE_PATHS ?? AGENT_DEFAULTS.probePaths.join(','))
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
    heartbeatMs: integer(env, 'FFK_AGENT_HEARTBEAT_MS', AGENT_DEFAULTS.heartbeatMs, 50, 60_000),
    missedHeartbeats: integer(env, 'FFK_AGENT_MISSED_HEARTBEATS', AGENT_DEFAULTS.missedHeartbeats, 1, 100),
    podName: env.POD_NAME || 'ffk-agent',
    logLevel,
  };
}

/** The env that makes parseAgentEnv return these settings (for the sidecar container spec). */
export function agentEnv(config: Pick<AgentConfig, 'token' | 'ports'> & Partial<AgentConfig>): Record<string, string> {
  const c = { ...AGENT_DEFAULTS, ...config };
  const env: Record<string, string> = {
    FFK_AGENT_TOKEN: c.token,
    FFK_AGENT_PORTS: c.ports.map((p) => `${p.name}:${p.listen}:${p.app}${p.protocol === 'tcp' ? '/tcp' : ''}`).join(','),
    FFK_AGENT_BIND: c.bindHost,
    FFK_AGENT_APP_HOST: c.appHost,
    FFK_AGENT_TUNNEL: `${c.tunnelHost}:${c.tunnelPort}`,
    FFK_AGENT_HEALTH_PORT: String(c.healthPort),
    FFK_AGENT_PROBE_PATHS: c.probePaths.join(','),
    FFK_AGENT_HEARTBEAT_MS: String(c.heartbeatMs),
    FFK_AGENT_MISSED_HEARTBEATS: String(c.missedHeartbeats),
    LOG_LEVEL: c.logLevel,
  };
  if (c.podName) env.POD_NAME = c.podName;
  return env;
}

const PORT_SPEC = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?):(\d{1,5}):(\d{1,5})(\/(http|tcp))?$/;

function parsePorts(value: string): AgentPort[] {
  const ports = value.split(',').map((spec) => {
    const match = PORT_SPEC.exec(spec.trim());
    const listen = Number(match?.[3]);
    const app = Number(match?.[4]);
    if (!match || listen > 65535 || app < 1 || app > 65535) {
      bad('FFK_AGENT_PORTS', `must be a comma-separated list of name:listen:app[/tcp] like http:9900:3000, got '${spec}'`);
    }
    return { name: match[1], listen, app, protocol: (match[6] ?? 'http') as 'http' | 'tcp' };
  });
  const names = ports.map((p) => p.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice) bad('FFK_AGENT_PORTS', `names port '${twice}' twice`);
  return ports;
}

function required(env: Env, name: string): string {
  const value = env[name];
  if (!value) bad(name, 'is required');
  return value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) bad(name, `must be an integer from ${min} to ${max}, got '${raw}'`);
  return value;
}

function hostPort(env: Env, name: string, fallback: string): [string, number] {
  const raw = env[name] || fallback;
  const match = /^(.+):(\d{1,5})$/.exec(raw);
  if (!match || Number(match[2]) > 65535) bad(name, `must be host:port like ${fallback}, got '${raw}'`);
  return [match[1].replace(/^\[(.*)\]$/, '$1'), Number(match[2])];
}

function bad(name: string, problem: string): never {
  throw new AgentConfigError(`${name} ${problem}`);
}
