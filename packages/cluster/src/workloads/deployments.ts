import { AppsV1Api, type V1Deployment } from '@kubernetes/client-node';
import { ClusterError, isClusterError } from '../errors/cluster-error';
import { friendly } from '../errors/friendly';
import { closeNames } from '../errors/suggest';
import type { ClusterAccess } from '../kubeconfig/access';

/** Reads a Deployment in the target namespace; a wrong name gets the close names that do exist. */
export async function readDeployment(cluster: ClusterAccess, name: string): Promise<V1Deployment> {
  const { namespace } = cluster.target;
  const api = cluster.kc.makeApiClient(AppsV1Api);
  const request = { verb: 'get', group: 'apps', resource: 'deployments', namespace, name };
  try {
    return await friendly({ target: cluster.target, request }, () => api.readNamespacedDeployment({ name, namespace }));
  } catch (error) {
    if (!isClusterError(error, 'not-found')) throw error;
    throw await deploymentNotFound(cluster, name, error);
  }
}

async function deploymentNotFound(cluster: ClusterAccess, name: string, cause: ClusterError): Promise<ClusterError> {
  const { namespace, context } = cluster.target;
  const existing = await listDeploymentNames(cluster);
  const suggestions = closeNames(name, existing);
  const prefix = `deployment "${name}" not found in namespace "${namespace}" (context "${context}")`;
  const hint = suggestions.length
    ? `did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?`
    : existing.length
      ? `Deployments there: ${existing.slice(0, 8).join(', ')}${existing.length > 8 ? ', …' : ''}`
      : `there are no Deployments in "${namespace}": pick the namespace with --namespace`;
  return new ClusterError('not-found', `${prefix}: ${hint}`, { cause, details: { suggestions } });
}

async function listDeploymentNames(cluster: ClusterAccess): Promise<string[]> {
  const { namespace } = cluster.target;
  const api = cluster.kc.makeApiClient(AppsV1Api);
  const request = { verb: 'list', group: 'apps', resource: 'deployments', namespace };
  const list = await friendly({ target: cluster.target, request }, () => api.listNamespacedDeployment({ namespace }));
  return list.items
    .map((d) => d.metadata?.name ?? '')
    .filter(Boolean)
    .sort();
}
