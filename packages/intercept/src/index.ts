// Agent: the sidecar in the intercepted pod.
export { startAgent, type RunningAgent } from './agent/agent';
export { AGENT_DEFAULTS, AgentConfigError, agentEnv, parseAgentEnv, type AgentConfig, type AgentPort } from './agent/config';
export { personalProblem } from './agent/intercept-rules';
// Connector: the developer's side.
export {
  Connector,
  ConnectorRefusedError,
  type ConnectorEvents,
  type ConnectorOptions,
  type ConnectorState,
  type ConnectorStats,
} from './connector/connector';
export type { RoutedRequest } from './connector/deliver-http';
export type { ExposeOptions, Exposed } from './connector/outbound';
// The protocol between them.
export { DEFAULT_USER_HEADER, PROTOCOL_VERSION, type AgentInfo, type InterceptInfo, type InterceptSpec, type RefusalCode } from './tunnel/protocol';
export { generateToken } from './tunnel/token';
