// `ffk uninstall`: put the Deployment and its Services back as they were, where nobody else
// changed them since, from originals signed by the agent's token.
import { type ClusterAccess, isClusterError, nameOf, readDeployment, type RolloutProgress, waitForRollout } from '@ffk/cluster';
import type { V1Deployment } from '@kubernetes/client-node';
import { bundleConfigMapName, deleteBundleConfigMap } from './agent-bundle';
import { AGENT_CONTAINER, ANNOTATION, readAgentRecord } from './annotations';
import { installedRecord, rewriteNumericServices } from './install';
import { leaseOf } from './lease';
import { patchDeployment, patchService, withFreshRead } from './patch';
import { planRestore, planServiceRestore } from './plan';
import { servicesSelecting } from './ports';
import { listServices, readService } from './services';
import { deleteTokenSecret, readToken, secretName } from './token-secret';

export interface UninstallResult {
  /** false when there was no agent to remove (or, for gc, when its lease was renewed meanwhile) */
  removed: boolean;
  restoredServices: string[];
  /** fields a teammate changed after the install: left as they are */
  leftFields: string[];
}

export interface UninstallOptions {
  wait?: boolean;
  onProgress?: (message: string) => void;
  /** gc: remove only while the lease is expired at this time, checked again inside the guarded patch */
  onlyIfExpiredAt?: Date;
}

export function hasAgent(deployment: V1Deployment): boolean {
  return (
    Boolean(deployment.metadata?.annotations?.[ANNOTATION.agent]) || Boolean(deployment.spec?.template.spec?.containers.some((c) => c.name === AGENT_CONTAINER))
  );
}

/** Expired at `now`, or no (readable) lease at all: nobody renews it. */
export function leaseExpired(deployment: V1Deployment, now: Date): boolean {
  const { expires } = leaseOf(deployment);
  return !expires || expires <= now;
}

export async function uninstallAgent(access: ClusterAccess, name: string, options: UninstallOptions = {}): Promise<UninstallResult> {
  const progress = options.onProgress ?? (() => undefined);
  const nothing = { removed: false, restoredServices: [], leftFields: [] };
  const deployment = await readDeployment(access, name);
  if (!hasAgent(deployment)) return nothing;
  if (options.onlyIfExpiredAt && !leaseExpired(deployment, options.onlyIfExpiredAt)) return nothing;
  // The signing key is the Secret ffk names after the Deployment, never one an annotation points at.
  const token = await tokenOf(access, name);
  const agentPort =
    readAgentRecord(deployment.metadata)?.ports[0]?.name ??
    deployment.spec?.template.spec?.containers.find((c) => c.name === AGENT_CONTAINER)?.ports?.[0]?.name ??
    '';

  // Services first: their numeric targetPort reaches the app again before the agent goes away.
  const restoredServices: string[] = [];
  for (const service of servicesSelecting(deployment, await listServices(access))) {
    const serviceName = nameOf(service);
    const restored = await withFreshRead(async () => {
      const fresh = await readService(access, serviceName);
      const ops = planServiceRestore(fresh, token, agentPort);
      if (ops.length) await patchService(access, serviceName, ops);
      return ops.length > 0;
    });
    if (restored) {
      restoredServices.push(serviceName);
      progress(`service ${serviceName}: targetPort restored`);
    }
  }
  const restored = await withFreshRead(async () => {
    const fresh = await readDeployment(access, name);
    // gc: a lease renewed since the first read keeps the agent (the patch's resourceVersion test
    // makes a renewal between this read and the patch fail it, and this check runs again).
    if (options.onlyIfExpiredAt && !leaseExpired(fresh, options.onlyIfExpiredAt)) return { renewed: fresh };
    const plan = planRestore(fresh, token);
    await patchDeployment(access, name, plan.ops);
    return plan;
  });
  if ('renewed' in restored) {
    // Someone intercepts again: the Services restored above must reach the agent, not the app.
    const record = installedRecord(restored.renewed);
    const repointed = record && restoredServices.length ? await rewriteNumericServices(access, name, record, token) : [];
    progress(
      `deployment ${name}: its lease was renewed while gc ran; the agent stays${repointed.length ? ` and service ${repointed.join(', ')} points at it again` : ''}`,
    );
    return nothing;
  }
  for (const { field, original } of restored.left) {
    progress(
      `deployment ${name}: ${field} was changed by someone since ffk installed the agent and was left as it is (ffk had recorded ${JSON.stringify(original)})`,
    );
  }
  progress(
    `deployment ${name}: ${AGENT_CONTAINER} removed, original ports and probes restored${restored.left.length ? ' where nobody changed them since' : ''}`,
  );
  // Named after the Deployment, never after what an annotation says: that could name anything.
  await deleteTokenSecret(access, secretName(name));
  await deleteBundleConfigMap(access, bundleConfigMapName(name));
  if (options.wait !== false) {
    // The new pods must pass their readiness probe before the old ones (with the agent) go:
    // about one readiness period of the app (5 s with the kit's manifests), not a grace period.
    progress(`waiting for the rollout of deployment ${name} without the agent: new pods Ready (readiness probe), then the old ones stop`);
    await waitForRollout(access, name, { onProgress: (p: RolloutProgress) => progress(p.message) });
  }
  return { removed: true, restoredServices, leftFields: restored.left.map((l) => l.field) };
}

/** The agent's token, or '' when its Secret is gone (then no original verifies, and restore says so). */
async function tokenOf(access: ClusterAccess, name: string): Promise<string> {
  try {
    return await readToken(access, secretName(name));
  } catch (error) {
    if (isClusterError(error, 'not-found')) return '';
    throw error;
  }
}
