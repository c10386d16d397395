// Install the ffk-agent sidecar into a Deployment (once per workload), and wait until it serves.
import { type ClusterAccess, ClusterError, nameOf, readDeployment, type RolloutProgress, waitForRollout } from '@ffk/cluster';
import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import type { AgentPort } from '../agent/config';
import { type AgentBundle, currentAgentBundle, DEFAULT_AGENT_IMAGE, needsUpgrade, writeBundleConfigMap } from './agent-bundle';
import { AGENT_CONTAINER, type AgentRecord, ANNOTATION, readAgentRecord } from './annotations';
import { DEFAULT_LEASE_SECONDS, defaultHolder, leaseFor } from './lease';
import { patchDeployment, patchService, withFreshRead } from './patch';
import { type PatchOp, planInstall, planServiceRewrite, planUpgrade } from './plan';
import { choosePort, servicesSelecting } from './ports';
import { listServices, readService } from './services';
import { ensureToken, readToken } from './token-secret';

export interface EnsureAgentOptions {
  /** Service port or container port (number or name) to take over; default: the only one, or "http". */
  port?: string;
  /** the Node image the sidecar runs on (default: DEFAULT_AGENT_IMAGE; a mirror of it in clusters that must mirror) */
  image?: string;
  /** the agent's code and version (default: this CLI's) */
  bundle?: AgentBundle;
  /** the Deployment as the caller has just read it (saves reading it again) */
  current?: V1Deployment;
  leaseSeconds?: number;
  holder?: string;
  /** Says what is happening and what is awaited ("waiting for 1 pod … to become Ready"). */
  onProgress?: (message: string) => void;
  rolloutTimeoutMs?: number;
  stuckAfterMs?: number;
}

export interface InstalledAgent {
  deployment: V1Deployment;
  record: AgentRecord;
  token: string;
  /** true when this call installed it (one rollout), false when it was there already */
  installedNow: boolean;
  /** the version this call replaced (one rollout), when the installed agent was older */
  upgradedFrom?: string;
  /** Services whose numeric targetPort now points at the agent */
  rewrittenServices: string[];
}

export function installedRecord(deployment: V1Deployment): AgentRecord | undefined {
  const hasSidecar = deployment.spec?.template.spec?.containers.some((c) => c.name === AGENT_CONTAINER);
  return hasSidecar ? readAgentRecord(deployment.metadata) : undefined;
}

/** Installs the agent unless it is there (or upgrades an older one), waits for its rollout, points numeric Service targetPorts at it. */
export async function ensureAgent(access: ClusterAccess, name: string, options: EnsureAgentOptions = {}): Promise<InstalledAgent> {
  const progress = options.onProgress ?? (() => undefined);
  const bundle = options.bundle ?? (await currentAgentBundle());
  let known = options.current;
  const found = await withFreshRead(async () => {
    const current = known ?? (await readDeployment(access, name));
    known = undefined; // a retry after a conflict reads afresh
    const existing = installedRecord(current);
    if (existing) return keepOrUpgrade(access, current, existing, bundle, options, progress);
    if (current.spec?.template.spec?.containers.some((c) => c.name === AGENT_CONTAINER)) {
      throw new ClusterError(
        'invalid',
        `deployment "${name}" has a container named ${AGENT_CONTAINER} but no ${ANNOTATION.agent} annotation: remove that container or rename it, then try again`,
      );
    }
    return { ...(await install(access, current, bundle, options, progress)), changed: true, upgradedFrom: undefined, services: undefined };
  });
  const { deployment, record, token, changed, upgradedFrom } = found;
  const installedNow = changed && !upgradedFrom;
  // An agent already rolled out needs no watch: the common start, kept to a few requests.
  if (changed || !rolledOut(deployment)) {
    progress(
      `waiting for the rollout of deployment ${name}${installedNow ? ' with the agent' : upgradedFrom ? ' with the upgraded agent' : ''} (pods Ready, agent answering /healthz)`,
    );
    await waitForRollout(access, name, {
      timeoutMs: options.rolloutTimeoutMs,
      stuckAfterMs: options.stuckAfterMs,
      onProgress: (p: RolloutProgress) => progress(p.message),
    });
  }
  const rewrittenServices = await rewriteNumericServices(
    access,
    name,
    record,
    token,
    changed || !found.services ? undefined : { deployment, services: found.services },
  );
  for (const service of rewrittenServices) progress(`service ${service}: numeric targetPort now points at the agent's port ${record.ports[0].name}`);
  return { deployment, record, token, installedNow, upgradedFrom, rewrittenServices };
}

/** The installed agent as it is, or upgraded to this CLI's bundle when older (one rollout). */
async function keepOrUpgrade(
  access: ClusterAccess,
  current: V1Deployment,
  existing: AgentRecord,
  bundle: AgentBundle,
  options: EnsureAgentOptions,
  progress: (message: string) => void,
) {
  const name = nameOf(current);
  const [services, token] = await Promise.all([listServices(access), readToken(access, existing.secret)]);
  checkRequestedPort(current, existing, services, options.port);
  if (!needsUpgrade(existing.version, bundle.version))
    return { deployment: current, record: existing, token, services, changed: false, upgradedFrom: undefined };
  const image = options.image ?? (existing.bundle ? existing.image : DEFAULT_AGENT_IMAGE);
  const plan = planUpgrade(current, existing, { image, version: bundle.version, bundle: await writeBundleConfigMap(access, name, bundle) });
  const from = existing.version ?? existing.image;
  progress(`upgrading the ${AGENT_CONTAINER} sidecar of deployment ${name} from ${from} to ${bundle.version} (this ffk's), on ${image}`);
  await patchDeployment(access, name, plan.ops);
  return { deployment: current, record: plan.record, token, services, changed: true, upgradedFrom: from };
}

/** `kubectl rollout status`'s test on the Deployment alone: every replica updated and available, no old one left. */
function rolledOut(deployment: V1Deployment): boolean {
  const wanted = deployment.spec?.replicas ?? 1;
  const status = deployment.status ?? {};
  return (
    (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 1) &&
    status.updatedReplicas === wanted &&
    status.replicas === wanted &&
    status.availableReplicas === wanted
  );
}

async function install(access: ClusterAccess, current: V1Deployment, bundle: AgentBundle, options: EnsureAgentOptions, progress: (message: string) => void) {
  const name = nameOf(current);
  const choice = choosePort(current, await listServices(access), options.port);
  const { secret, token } = await ensureToken(access, name);
  const configMap = await writeBundleConfigMap(access, name, bundle);
  const lease = leaseFor(options.leaseSeconds ?? DEFAULT_LEASE_SECONDS, options.holder ?? defaultHolder());
  const plan = planInstall(current, choice, { image: options.image ?? DEFAULT_AGENT_IMAGE, version: bundle.version, bundle: configMap, secret, token, lease });
  progress(
    `installing the ${AGENT_CONTAINER} sidecar ${bundle.version} (on ${plan.record.image}) into deployment ${name}: port ${choice.name ?? choice.containerPort} (${choice.containerPort}) goes through the agent`,
  );
  await patchDeployment(access, name, plan.ops);
  return { deployment: current, record: plan.record, token };
}

/** After the rollout (so old pods without the named port never lose their endpoints); `known`: objects just read, checked first. */
export async function rewriteNumericServices(
  access: ClusterAccess,
  name: string,
  record: AgentRecord,
  token: string,
  known?: { deployment: V1Deployment; services: V1Service[] },
): Promise<string[]> {
  const port = record.ports[0];
  const deployment = known?.deployment ?? (await readDeployment(access, name));
  const services = servicesSelecting(deployment, known?.services ?? (await listServices(access)));
  const rewritten: string[] = [];
  for (const service of services.filter((s) => serviceRewrite(s, port, token).length > 0)) {
    const serviceName = nameOf(service);
    const changed = await withFreshRead(async () => {
      const fresh = await readService(access, serviceName);
      const ops = serviceRewrite(fresh, port, token);
      if (ops.length) await patchService(access, serviceName, ops);
      return ops.length > 0;
    });
    if (changed) rewritten.push(serviceName);
  }
  return rewritten;
}

function serviceRewrite(service: V1Service, port: AgentPort, token: string): PatchOp[] {
  const indexes = (service.spec?.ports ?? [])
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => String(p.targetPort ?? p.port) === String(port.app))
    .map(({ i }) => i);
  return planServiceRewrite(service, indexes, port.name, token);
}

/** With the agent installed for one port, another port needs a reinstall: say so. */
function checkRequestedPort(deployment: V1Deployment, record: AgentRecord, services: V1Service[], requested: string | undefined): void {
  if (!requested) return;
  const port = record.ports[0];
  const accepted = new Set([port.name, String(port.app), String(port.listen)]);
  for (const service of servicesSelecting(deployment, services)) {
    for (const p of service.spec?.ports ?? []) if (accepted.has(String(p.targetPort ?? p.port))) accepted.add(String(p.port)).add(p.name ?? '');
  }
  if (!accepted.has(requested)) {
    const name = deployment.metadata?.name;
    throw new ClusterError(
      'invalid',
      `the agent in deployment "${name}" serves port ${port.name} (${port.app}), not ${requested}: run \`ffk uninstall ${name}\` first to intercept another port`,
    );
  }
}
