// The laptop side of `ffk intercept`: the session (agent, lease, tunnels per pod, environment).
export { type EnvironmentOptions, type LocalEnvironment, prepareEnvironment } from './environment';
export { gitOpsManager } from './gitops';
export { PodTunnels, type PodTunnelsEvents, type PodTunnelsOptions, TunnelUnreachableError } from './pod-tunnels';
export { type AgentReady, InterceptSession, type InterceptSessionOptions, SessionInterrupted, type TunnelsReady } from './session';
