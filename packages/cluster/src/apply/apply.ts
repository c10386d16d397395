import { isDeepStrictEqual } from 'node:util';
import { type KubernetesObject, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { ClusterError, isClusterError } from '../errors/cluster-error';
import { toClusterError } from '../errors/friendly';
import type { ResourceRef } from '../errors/resource-ref';
import { apiStatusOf } from '../errors/status';
import type { ClusterAccess } from '../kubeconfig/access';
import { renderKustomize } from './kustomize';
import { type Manifest, objectName } from './manifests';

export type ApplyAction = 'created' | 'configured' | 'unchanged';

export interface ApplyResult {
  /** kubectl's spelling: deployment.apps/catalog */
  name: string;
  namespace?: string;
  action: ApplyAction;
  object: Manifest;
  ms: number;
}

export interface ApplyOptions {
  /** Server-side apply field manager; one per tool so ownership shows who set a field. */
  fieldManager?: string;
  /** Take over fields another manager owns instead of failing with a 409 conflict. */
  force?: boolean;
  onResult?: (result: ApplyResult) => void;
}

// Objects others depend on go first, as `kubectl apply` and Helm order them.
const KIND_ORDER = [
  'Namespace',
  'CustomResourceDefinition',
  'ServiceAccount',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'PersistentVolumeClaim',
  'Service',
  'StatefulSet',
  'Deployment',
  'Job',
];

function rank(kind: string): number {
  const index = KIND_ORDER.indexOf(kind);
  return index === -1 ? KIND_ORDER.length : index;
}

/**
 * Server-side applies each object (in dependency order) and says what happened to it: created
 * (it did not exist), unchanged (same content as before) or configured.
 */
export async function applyManifests(cluster: ClusterAccess, manifests: Manifest[], options: ApplyOptions = {}): Promise<ApplyResult[]> {
  const client = KubernetesObjectApi.makeApiClient(cluster.kc);
  const ordered = [...manifests].sort((a, b) => rank(a.kind) - rank(b.kind));
  const results: ApplyResult[] = [];
  for (const manifest of ordered) {
    const result = await applyOne(cluster, client, manifest, options);
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}

/** Renders a kustomization directory (see renderKustomize for why kubectl renders it) and applies the result. */
export async function applyKustomize(cluster: ClusterAccess, directory: string, options: ApplyOptions = {}): Promise<ApplyResult[]> {
  return applyManifests(cluster, await renderKustomize(directory), options);
}

async function applyOne(cluster: ClusterAccess, client: KubernetesObjectApi, manifest: Manifest, options: ApplyOptions): Promise<ApplyResult> {
  const started = performance.now();
  const header = { apiVersion: manifest.apiVersion, kind: manifest.kind, metadata: { name: manifest.metadata.name, namespace: manifest.metadata.namespace } };
  const before = await call(cluster, manifest, 'get', () => client.read(structuredClone(header))).catch((error: unknown) => {
    if (isClusterError(error, 'not-found')) return undefined;
    throw error;
  });
  const applied = await call(cluster, manifest, 'patch', () =>
    client.patch(structuredClone(manifest), undefined, undefined, options.fieldManager ?? 'ffk', options.force, PatchStrategy.ServerSideApply),
  );
  const action: ApplyAction = !before ? 'created' : sameContent(before, applied) ? 'unchanged' : 'configured';
  return {
    name: objectName(manifest),
    namespace: applied.metadata?.namespace,
    action,
    object: applied,
    ms: Math.round(performance.now() - started),
  };
}

/**
 * Whether an apply left the object as it was. Compared by content, as `kubectl apply` does, not by
 * resourceVersion: a controller may write status in between, and a server may bump only managedFields.
 */
function sameContent(before: KubernetesObject, after: KubernetesObject): boolean {
  const content = ({ metadata, ...rest }: KubernetesObject & { status?: unknown }) => ({
    ...rest,
    status: undefined,
    metadata: { ...metadata, resourceVersion: undefined, managedFields: undefined },
  });
  return isDeepStrictEqual(content(before), content(after));
}

async function call<T>(cluster: ClusterAccess, manifest: Manifest, verb: string, fn: () => Promise<T>): Promise<T> {
  const request: ResourceRef = {
    verb,
    group: manifest.apiVersion.includes('/') ? manifest.apiVersion.split('/')[0] : '',
    resource: plural(manifest.kind),
    namespace: manifest.metadata.namespace ?? cluster.target.namespace,
    name: manifest.metadata.name,
  };
  try {
    return await fn();
  } catch (error) {
    if (unservedKind(error)) {
      throw new ClusterError(
        'manifest',
        `the API server does not serve ${manifest.apiVersion} ${manifest.kind} (${objectName(manifest)}): is its CRD installed, or is the apiVersion misspelled?`,
        { cause: error },
      );
    }
    throw toClusterError(error, { target: cluster.target, request });
  }
}

/** client-node looks the kind up in discovery first: a group it lacks is a 404, a kind it lacks a plain Error. */
function unservedKind(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return message.includes('Unrecognized API version and kind') || (message.startsWith('Failed to fetch resource metadata') && apiStatusOf(error)?.code === 404);
}

/** Lower-case plural as RBAC names resources (good for built-in kinds; 403 messages carry the exact one). */
function plural(kind: string): string {
  const lower = kind.toLowerCase();
  if (/(s|x|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}
