// `ffk list` and `ffk gc`: find installed agents and the ones whose lease has run out.
import { type ClusterAccess, friendly, nameOf } from '@ffk/cluster';
import { AppsV1Api } from '@kubernetes/client-node';
import { type AgentRecord, readAgentRecord } from './annotations';
import { installedRecord } from './install';
import { leaseOf } from './lease';
import { hasAgent, leaseExpired, uninstallAgent } from './restore';

export interface WorkloadAgent {
  name: string;
  namespace: string;
  installed: boolean;
  record?: AgentRecord;
  leaseExpires?: string;
  leaseHolder?: string;
  expired: boolean;
  replicas: number;
  readyReplicas: number;
}

/** Every Deployment of the namespace, with whether the agent is in it and its lease. */
export async function listWorkloads(access: ClusterAccess, now = new Date()): Promise<WorkloadAgent[]> {
  const { namespace } = access.target;
  const request = { verb: 'list', group: 'apps', resource: 'deployments', namespace };
  const list = await friendly({ target: access.target, request }, () => access.kc.makeApiClient(AppsV1Api).listNamespacedDeployment({ namespace }));
  return list.items.map((deployment) => {
    const lease = leaseOf(deployment);
    const installed = hasAgent(deployment);
    return {
      name: nameOf(deployment),
      namespace,
      installed,
      record: installedRecord(deployment) ?? readAgentRecord(deployment.metadata),
      leaseExpires: lease.expires?.toISOString(),
      leaseHolder: lease.holder,
      // An agent without a readable lease (edited by hand) counts as expired: nobody renews it.
      expired: installed && leaseExpired(deployment, now),
      replicas: deployment.spec?.replicas ?? 1,
      readyReplicas: deployment.status?.readyReplicas ?? 0,
    };
  });
}

export interface GarbageCollection {
  removed: string[];
  /** workloads gc could not clean up, each with why; the others were still collected */
  failed: { name: string; message: string }[];
}

/**
 * Uninstalls every agent whose lease has expired. The lease is checked again inside each guarded
 * patch, so an intercept that renews it meanwhile keeps its agent (and the Services gc had already
 * restored point at it again); one workload that cannot be
 * restored (an edited original) is reported and does not stop the others.
 */
export async function collectGarbage(
  access: ClusterAccess,
  options: { now?: Date; wait?: boolean; onProgress?: (message: string) => void } = {},
): Promise<GarbageCollection> {
  const now = options.now ?? new Date();
  const expired = (await listWorkloads(access, now)).filter((w) => w.expired);
  const result: GarbageCollection = { removed: [], failed: [] };
  for (const workload of expired) {
    try {
      const done = await uninstallAgent(access, workload.name, { wait: options.wait, onProgress: options.onProgress, onlyIfExpiredAt: now });
      if (done.removed) result.removed.push(workload.name);
    } catch (error) {
      result.failed.push({ name: workload.name, message: (error as Error).message });
    }
  }
  return result;
}
