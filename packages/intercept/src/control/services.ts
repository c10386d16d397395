import { type ClusterAccess, friendly } from '@ffk/cluster';
import { CoreV1Api, type V1Service } from '@kubernetes/client-node';

export async function listServices(access: ClusterAccess): Promise<V1Service[]> {
  const { namespace } = access.target;
  const request = { verb: 'list', group: '', resource: 'services', namespace };
  return (await friendly({ target: access.target, request }, () => access.kc.makeApiClient(CoreV1Api).listNamespacedService({ namespace }))).items;
}

export async function readService(access: ClusterAccess, name: string): Promise<V1Service> {
  const { namespace } = access.target;
  const request = { verb: 'get', group: '', resource: 'services', namespace, name };
  return friendly({ target: access.target, request }, () => access.kc.makeApiClient(CoreV1Api).readNamespacedService({ name, namespace }));
}
