// Install the ffk-agent sidecar into a Deployment (once per workload), and wait until it serves.
import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import { ClusterError, readDeployment, waitForRollout, type ClusterAccess, type RolloutProgress } from '@ffk/cluster';
import packageJson from '../../package.json' with { type: 'json' };
import { AGENT_CONTAINER, ANNOTATION, readJsonAnnotation, type AgentRecord } from './annotations';
import { defaultHolder, DEFAULT_LEASE_SECONDS, leaseFor } from './lease';
import { patchDeployment, patchService, withFreshRead } from './patch';
import { planInstall, planServiceRewrite } from './plan';
import { choosePort, servicesSelecting } from './ports';
import { listServices, readService } from './services';
import { ensureToken, readToken } from './token-secret';

/** The image the CLI installs unless told otherwise; kind setup builds and loads this tag, kube-sim maps its repository. */
export const DEFAULT_AGENT_IMAGE = `ffk/agent:${packageJson.version}`;

export interface EnsureAgentOptions {
  /** Service port or container port (number or name) to take over; default: the only one, or "http". */
  port?: string;
  image?: string;
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
  /** Services whose numeric targetPort now points at the agent */
  rewrittenServices: string[];
}

export function installedRecord(deployment: V1Deployment): AgentRecord | undefined {
  const hasSidecar = deployment.spec?.template.spec?.containers.some((c) => c.name === AGENT_CONTAINER);
  return hasSidecar ? readJsonAnnotation<AgentRecord>(deployment.metadata, ANNOTATION.agent) : undefined;
}

/** Installs the agent unless it is there, waits for its rollout, points numeric Service targetPorts at it. */
export async function ensureAgent(access: ClusterAccess, name: string, options: EnsureAgentOptions = {}): Promise<InstalledAgent> {
  const progress = options.onProgress ?? (() => undefined);
  let installedNow = false;
  const { deployment, record, token } = await withFreshRead(async () => {
    const current = await readDeployment(access, name);
    const existing = installedRecord(current);
    if (existing) {
      checkRequestedPort(current, existing, await listServices(access), options.port);
      return { deployment: current, record: existing, token: await readToken(access, existing.secret) };
    }
    if (current.spec?.template.spec?.containers.some((c) => c.name === AGENT_CONTAINER)) {
      throw new ClusterError('invalid', `deployment "${name}" has a container named ${AGENT_CONTAINER} but no ${ANNOTATION.agent} annotation: remove that container or rename it, then try again`);
    }
    const choice = choosePort(current, await listServices(access), options.port);
    const { secret, token: fresh } = await ensureToken(access, name);
    const lease = leaseFor(options.leaseSeconds ?? DEFAULT_LEASE_SECONDS, options.holder ?? defaultHolder());
    const plan = planInstall(current, choice, { image: options.image ?? DEFAULT_AGENT_IMAGE, secret, lease });
    progress(`installing the ${AGENT_CONTAINER} sidecar (${plan.record.image}) into deployment ${name}: port ${choice.name ?? choice.containerPort} (${choice.containerPort}) goes through the agent`);
    await patchDeployment(access, name, plan.ops);
    installedNow = true;
    return { deployment: current, record: plan.record, token: fresh };
  });
  progress(`waiting for the rollout of deployment ${name}${installedNow ? ' with the agent' : ''} (pods Ready, agent answering /healthz)`);
  await waitForRollout(access, name, {
    timeoutMs: options.rolloutTimeoutMs,
    stuckAfterMs: options.stuckAfterMs,
    onProgress: (p: RolloutProgress) => progress(p.message),
  });
  const rewrittenServices = await rewriteNumericServices(access, name, record);
  for (const service of rewrittenServices) progress(`service ${service}: numeric targetPort now points at the agent's port ${record.ports[0].name}`);
  return { deployment, record, token, installedNow, rewrittenServices };
}

/** After the rollout (so old pods without the named port never lose their endpoints). */
async function rewriteNumericServices(access: ClusterAccess, name: string, record: AgentRecord): Promise<string[]> {
  const port = record.ports[0];
  const rewritten: string[] = [];
  const deployment = await readDeployment(access, name);
  for (const service of servicesSelecting(deployment, await listServices(access))) {
    const changed = await withFreshRead(async () => {
      const fresh = await readService(access, service.metadata!.name!);
      const indexes = (fresh.spec?.ports ?? []).map((p, i) => ({ p, i })).filter(({ p }) => String(p.targetPort ?? p.port) === String(port.app)).map(({ i }) => i);
      const ops = planServiceRewrite(fresh, indexes, port.name);
      if (ops.length) await patchService(access, fresh.metadata!.name!, ops);
      return ops.length > 0;
    });
    if (changed) rewritten.push(service.metadata!.name!);
  }
  return rewritten;
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
    throw new ClusterError('invalid', `the agent in deployment "${name}" serves port ${port.name} (${port.app}), not ${requested}: run \`ffk uninstall ${name}\` first to intercept another port`);
  }
}
