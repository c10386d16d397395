// `ffk list` and `ffk gc`: find installed agents and the ones whose lease has run out.
import { AppsV1Api } from '@kubernetes/client-node';
import { friendly, type ClusterAccess } from '@ffk/cluster';
import { ANNOTATION, readJsonAnnotation, type AgentRecord } from './annotations';
import { installedRecord } from './install';
import { leaseOf } from './lease';
import { hasAgent, uninstallAgent } from './restore';

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
      name: deployment.metadata!.name!,
      namespace,
      installed,
      record: installedRecord(deployment) ?? readJsonAnnotation<AgentRecord>(deployment.metadata, ANNOTATION.agent),
      leaseExpires: lease.expires?.toISOString(),
      leaseHolder: lease.holder,
      // An agent without a lease annotation (edited by hand) counts as expired: nobody renews it.
      expired: installed && (!lease.expires || lease.expires <= now),
      replicas: deployment.spec?.replicas ?? 1,
      readyReplicas: deployment.status?.readyReplicas ?? 0,
    };
  });
}

/** Uninstalls every agent whose lease has expired; returns their names. */
export async function collectGarbage(access: ClusterAccess, options: { now?: Date; wait?: boolean; onProgress?: (message: string) => void } = {}): Promise<string[]> {
  const expired = (await listWorkloads(access, options.now)).filter((w) => w.expired);
  for (const workload of expired) await uninstallAgent(access, workload.name, { wait: options.wait, onProgress: options.onProgress });
  return expired.map((w) => w.name);
}
