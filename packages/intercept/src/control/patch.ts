// JSON patches through the API, with one-line errors, and a retry for the guarded ones.
import { type ClusterAccess, friendly, isClusterError } from '@ffk/cluster';
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { PatchOp } from './plan';

const JSON_PATCH = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

export async function patchDeployment(access: ClusterAccess, name: string, ops: PatchOp[]): Promise<void> {
  const { namespace } = access.target;
  const request = { verb: 'patch', group: 'apps', resource: 'deployments', namespace, name };
  await friendly({ target: access.target, request }, () =>
    access.kc.makeApiClient(AppsV1Api).patchNamespacedDeployment({ name, namespace, body: ops }, JSON_PATCH),
  );
}

export async function patchService(access: ClusterAccess, name: string, ops: PatchOp[]): Promise<void> {
  const { namespace } = access.target;
  const request = { verb: 'patch', group: '', resource: 'services', namespace, name };
  await friendly({ target: access.target, request }, () =>
    access.kc.makeApiClient(CoreV1Api).patchNamespacedService({ name, namespace, body: ops }, JSON_PATCH),
  );
}

/** A failed `test` op (422, "testing value … failed") or a 409: someone changed the object meanwhile. */
export function isStale(error: unknown): boolean {
  return isClusterError(error, 'conflict') || (isClusterError(error, 'invalid') && /test(ing value .*)? failed/.test(error.message));
}

/** Reads, plans and patches again while the object keeps changing under us (a controller writing status). */
export async function withFreshRead<T>(attempt: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isStale(error) || i >= attempts) throw error;
    }
  }
}
