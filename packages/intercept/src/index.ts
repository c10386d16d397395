// Agent: the sidecar in the intercepted pod.
export { type RunningAgent, startAgent } from './agent/agent';
export { AGENT_DEFAULTS, type AgentConfig, AgentConfigError, agentEnv, type AgentPort, parseAgentEnv } from './agent/config';
export { selectorProblem } from './agent/intercept-rules';
// Connector: the developer's side.
export { Connector, type ConnectorEvents, type ConnectorOptions, ConnectorRefusedError, type ConnectorState, type ConnectorStats } from './connector/connector';
export type { RoutedRequest } from './connector/deliver-http';
export type { Exposed, ExposeOptions } from './connector/outbound';
// The protocol between them.
export { type AgentInfo, DEFAULT_USER_HEADER, type InterceptInfo, type InterceptSpec, PROTOCOL_VERSION, type RefusalCode } from './tunnel/protocol';
export { generateToken } from './tunnel/token';
