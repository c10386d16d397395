import { describe, expect, it } from 'vitest';
import { AgentConfigError, agentEnv, parseAgentEnv } from './config';

const token = 'a-token-of-sufficient-length';

describe('agent config from env', () => {
  it('round-trips through agentEnv, the env the CLI writes into the sidecar', () => {
    const env = agentEnv({
      token,
      ports: [
        { name: 'http', listen: 9900, app: 3000, protocol: 'http' },
        { name: 'pg', listen: 9910, app: 5432, protocol: 'tcp' },
      ],
      podName: 'catalog-1',
    });
    expect(env.FFK_AGENT_PORTS).toBe('http:9900:3000,pg:9910:5432/tcp');
    expect(parseAgentEnv(env)).toMatchObject({
      token,
      ports: [
        { name: 'http', listen: 9900, app: 3000, protocol: 'http' },
        { name: 'pg', listen: 9910, app: 5432, protocol: 'tcp' },
      ],
      tunnelHost: '127.0.0.1',
      tunnelPort: 9901,
      podName: 'catalog-1',
    });
  });

  it.each([
    [{}, 'FFK_AGENT_TOKEN is required'],
    [{ FFK_AGENT_TOKEN: 'short' }, 'FFK_AGENT_TOKEN must be at least 16 characters'],
    [{ FFK_AGENT_TOKEN: token }, 'FFK_AGENT_PORTS is required'],
    [
      { FFK_AGENT_TOKEN: token, FFK_AGENT_PORTS: 'http:9900' },
      "FFK_AGENT_PORTS must be a comma-separated list of name:listen:app[/tcp] like http:9900:3000, got 'http:9900'",
    ],
    [{ FFK_AGENT_TOKEN: token, FFK_AGENT_PORTS: 'a:1:2,a:3:4' }, "FFK_AGENT_PORTS names port 'a' twice"],
    [{ FFK_AGENT_TOKEN: token, FFK_AGENT_PORTS: 'http:1:2', FFK_AGENT_TUNNEL: '9901' }, "FFK_AGENT_TUNNEL must be host:port like 127.0.0.1:9901, got '9901'"],
    [
      { FFK_AGENT_TOKEN: token, FFK_AGENT_PORTS: 'http:1:2', FFK_AGENT_HEARTBEAT_MS: 'soon' },
      "FFK_AGENT_HEARTBEAT_MS must be an integer from 50 to 60000, got 'soon'",
    ],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => parseAgentEnv(env)).toThrow(new AgentConfigError(message));
  });
});
