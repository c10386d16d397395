// `ffk uninstall`: put the Deployment and its Services back exactly as they were.
import type { V1Deployment } from '@kubernetes/client-node';
import { readDeployment, waitForRollout, type ClusterAccess, type RolloutProgress } from '@ffk/cluster';
import { bundleConfigMapName, deleteBundleConfigMap } from './agent-bundle';
import { AGENT_CONTAINER, ANNOTATION, readJsonAnnotation, type AgentRecord } from './annotations';
import { patchDeployment, patchService, withFreshRead } from './patch';
import { planRestore, planServiceRestore } from './plan';
import { servicesSelecting } from './ports';
import { listServices, readService } from './services';
import { deleteTokenSecret, secretName } from './token-secret';

export interface UninstallResult {
  /** false when there was no agent to remove */
  removed: boolean;
  restoredServices: string[];
}

export function hasAgent(deployment: V1Deployment): boolean {
  return Boolean(deployment.metadata?.annotations?.[ANNOTATION.agent]) || Boolean(deployment.spec?.template.spec?.containers.some((c) => c.name === AGENT_CONTAINER));
}

export async function uninstallAgent(
  access: ClusterAccess,
  name: string,
  options: { wait?: boolean; onProgress?: (message: string) => void } = {},
): Promise<UninstallResult> {
  const progress = options.onProgress ?? (() => undefined);
  const deployment = await readDeployment(access, name);
  if (!hasAgent(deployment)) return { removed: false, restoredServices: [] };
  const record = readJsonAnnotation<AgentRecord>(deployment.metadata, ANNOTATION.agent);

  // Services first: their numeric targetPort reaches the app again before the agent goes away.
  const restoredServices: string[] = [];
  for (const service of servicesSelecting(deployment, await listServices(access))) {
    const restored = await withFreshRead(async () => {
      const fresh = await readService(access, service.metadata!.name!);
      const ops = planServiceRestore(fresh);
      if (ops.length) await patchService(access, fresh.metadata!.name!, ops);
      return ops.length > 0;
    });
    if (restored) {
      restoredServices.push(service.metadata!.name!);
      progress(`service ${service.metadata!.name}: targetPort restored`);
    }
  }
  await withFreshRead(async () => patchDeployment(access, name, planRestore(await readDeployment(access, name))));
  progress(`deployment ${name}: ${AGENT_CONTAINER} removed, original ports and probes restored`);
  await deleteTokenSecret(access, record?.secret ?? secretName(name));
  await deleteBundleConfigMap(access, record?.bundle ?? bundleConfigMapName(name));
  if (options.wait !== false) {
    // The new pods must pass their readiness probe before the old ones (with the agent) go:
    // about one readiness period of the app (5 s with the kit's manifests), not a grace period.
    progress(`waiting for the rollout of deployment ${name} without the agent: new pods Ready (readiness probe), then the old ones stop`);
    await waitForRollout(access, name, { onProgress: (p: RolloutProgress) => progress(p.message) });
  }
  return { removed: true, restoredServices };
}
