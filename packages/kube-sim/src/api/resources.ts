// The kinds the simulator serves, with what discovery tells clients about them.

export interface ResourceType {
  group: string; // '' for the core group
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Subresources served for this kind (status, scale, and what other modules register, e.g. log). */
  subresources: SubresourceType[];
  /** Verbs served on the kind: every object verb, or `create` only for the access reviews. */
  verbs: string[];
}

export interface SubresourceType {
  name: string;
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

export const OBJECT_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS: SubresourceType = { name: 'status', kind: '', verbs: ['get', 'patch', 'update'] };

function kind(
  group: string,
  kindName: string,
  plural: string,
  options: { namespaced?: boolean; shortNames?: string[]; all?: boolean; subresources?: SubresourceType[]; verbs?: string[] } = {},
): ResourceType {
  return {
    group,
    version: 'v1',
    kind: kindName,
    plural,
    singular: kindName.toLowerCase(),
    namespaced: options.namespaced ?? true,
    shortNames: options.shortNames ?? [],
    categories: options.all ? ['all'] : [],
    subresources: (options.subresources ?? []).map((s) => ({ ...s, kind: s.kind || kindName })),
    verbs: options.verbs ?? OBJECT_VERBS,
  };
}

export function builtinResources(): ResourceType[] {
  return [
    kind('', 'Namespace', 'namespaces', { namespaced: false, shortNames: ['ns'], subresources: [STATUS] }),
    kind('', 'Pod', 'pods', { shortNames: ['po'], all: true, subresources: [STATUS] }),
    kind('', 'Service', 'services', { shortNames: ['svc'], all: true, subresources: [STATUS] }),
    kind('', 'Endpoints', 'endpoints', { shortNames: ['ep'] }),
    kind('', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
    kind('', 'Secret', 'secrets'),
    kind('', 'ServiceAccount', 'serviceaccounts', { shortNames: ['sa'] }),
    kind('', 'Event', 'events', { shortNames: ['ev'] }),
    kind('apps', 'Deployment', 'deployments', {
      shortNames: ['deploy'],
      all: true,
      subresources: [STATUS, { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] }],
    }),
    kind('apps', 'ReplicaSet', 'replicasets', {
      shortNames: ['rs'],
      all: true,
      subresources: [STATUS, { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] }],
    }),
    kind(RBAC_GROUP, 'Role', 'roles'),
    kind(RBAC_GROUP, 'RoleBinding', 'rolebindings'),
    kind(RBAC_GROUP, 'ClusterRole', 'clusterroles', { namespaced: false }),
    kind(RBAC_GROUP, 'ClusterRoleBinding', 'clusterrolebindings', { namespaced: false }),
    // Access reviews are answered, never stored: `create` is their only verb.
    kind(AUTHORIZATION_GROUP, 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', { namespaced: false, verbs: ['create'] }),
    kind(AUTHORIZATION_GROUP, 'SelfSubjectRulesReview', 'selfsubjectrulesreviews', { namespaced: false, verbs: ['create'] }),
    kind(AUTHORIZATION_GROUP, 'SubjectAccessReview', 'subjectaccessreviews', { namespaced: false, verbs: ['create'] }),
    kind(AUTHORIZATION_GROUP, 'LocalSubjectAccessReview', 'localsubjectaccessreviews', { verbs: ['create'] }),
    // `kubectl auth whoami`: the requesting user as authentication saw it.
    kind(AUTHENTICATION_GROUP, 'SelfSubjectReview', 'selfsubjectreviews', { namespaced: false, verbs: ['create'] }),
  ];
}

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const AUTHORIZATION_GROUP = 'authorization.k8s.io';
export const AUTHENTICATION_GROUP = 'authentication.k8s.io';

export const apiVersionOf = (r: { group: string; version: string }) => (r.group ? `${r.group}/${r.version}` : r.version);
