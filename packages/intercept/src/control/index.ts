// Control plane of the intercept: install and restore the agent, leases, gc.
export { AGENT_CONTAINER, ANNOTATION, type AgentRecord, type DeploymentOriginal, type ServiceOriginal } from './annotations';
export { AGENT_MOUNT_PATH, bundleVersion, currentAgentBundle, DEFAULT_AGENT_IMAGE, needsUpgrade, type AgentBundle } from './agent-bundle';
export { ensureAgent, installedRecord, type EnsureAgentOptions, type InstalledAgent } from './install';
export { DEFAULT_LEASE_SECONDS, defaultHolder, keepLease, leaseFor, leaseOf, renewLease, type LeaseRenewal } from './lease';
export { hasAgent, uninstallAgent, type UninstallResult } from './restore';
export { collectGarbage, listWorkloads, type WorkloadAgent } from './gc';
export { choosePort, servicesSelecting, type PortChoice } from './ports';
export { readToken, secretName } from './token-secret';
export { importContainerEnv, expand, type ImportedEnv } from './env/container-env';
export { dialHost, distinctTargets, findClusterHosts, rewriteHosts, serviceOf, targetKey, type HostUse, type ServiceLookup, type ServiceTarget } from './env/cluster-hosts';
export { formatEnvFile } from './env/env-file';
export { listServices, readService } from './services';
