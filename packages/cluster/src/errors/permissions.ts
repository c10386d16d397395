import { AuthorizationV1Api } from '@kubernetes/client-node';
import type { ClusterAccess } from '../kubeconfig/access';
import { friendly } from './friendly';
import type { ResourceRef } from './resource-ref';

export interface PermissionCheck {
  permission: ResourceRef;
  allowed: boolean;
  /** The authorizer's reason when it gives one (RBAC usually does not). */
  reason?: string;
}

/**
 * Asks the API server (SelfSubjectAccessReview, what `kubectl auth can-i` does) which of the
 * permissions a command needs the current user lacks, so the CLI can say so before it starts.
 */
export async function checkPermissions(cluster: ClusterAccess, permissions: ResourceRef[]): Promise<PermissionCheck[]> {
  const api = cluster.kc.makeApiClient(AuthorizationV1Api);
  const request: ResourceRef = { verb: 'create', group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' };
  return Promise.all(
    permissions.map(async (permission) => {
      const [resource, subresource] = permission.resource.split('/');
      const review = await friendly({ target: cluster.target, request }, () =>
        api.createSelfSubjectAccessReview({
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: {
              resourceAttributes: {
                verb: permission.verb,
                group: permission.group,
                resource,
                subresource,
                namespace: permission.namespace,
                name: permission.name,
              },
            },
          },
        }),
      );
      return { permission, allowed: review.status?.allowed === true, reason: review.status?.reason || undefined };
    }),
  );
}
