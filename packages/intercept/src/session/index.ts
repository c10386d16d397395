// The laptop side of `ffk intercept`: tunnels to every agent pod, the imported environment.
export { PodTunnels, TunnelUnreachableError, type PodTunnelsEvents, type PodTunnelsOptions } from './pod-tunnels';
export { prepareEnvironment, type EnvironmentOptions, type LocalEnvironment } from './environment';
