// The laptop side of `ffk intercept`: the session (agent, lease, tunnels per pod, environment).
export { InterceptSession, SessionInterrupted, type AgentReady, type InterceptSessionOptions, type TunnelsReady } from './session';
export { PodTunnels, TunnelUnreachableError, type PodTunnelsEvents, type PodTunnelsOptions } from './pod-tunnels';
export { prepareEnvironment, type EnvironmentOptions, type LocalEnvironment } from './environment';
export { gitOpsManager } from './gitops';
