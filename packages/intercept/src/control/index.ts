// Control plane of the intercept: install and restore the agent, leases, gc.
export { AGENT_MOUNT_PATH, type AgentBundle, bundleVersion, currentAgentBundle, DEFAULT_AGENT_IMAGE, needsUpgrade } from './agent-bundle';
export { AGENT_CONTAINER, type AgentRecord, ANNOTATION, type DeploymentOriginal, type ServiceOriginal } from './annotations';
export {
  dialHost,
  distinctTargets,
  findClusterHosts,
  type HostUse,
  rewriteHosts,
  type ServiceLookup,
  serviceOf,
  type ServiceTarget,
  targetKey,
} from './env/cluster-hosts';
export { expand, importContainerEnv, type ImportedEnv } from './env/container-env';
export { formatEnvFile } from './env/env-file';
export { collectGarbage, type GarbageCollection, listWorkloads, type WorkloadAgent } from './gc';
export { ensureAgent, type EnsureAgentOptions, type InstalledAgent, installedRecord } from './install';
export { DEFAULT_LEASE_SECONDS, defaultHolder, keepLease, leaseFor, leaseOf, type LeaseRenewal, renewLease } from './lease';
export { choosePort, type PortChoice, servicesSelecting } from './ports';
export { hasAgent, uninstallAgent, type UninstallOptions, type UninstallResult } from './restore';
export { listServices, readService } from './services';
export { readToken, secretName } from './token-secret';
