// The ClusterRoles and ClusterRoleBindings a new cluster has (kube-apiserver's bootstrap policy),
// for what the simulator serves: cluster-admin for system:masters, discovery and self access
// reviews for every authenticated user, and the user-facing view, edit and admin roles (their
// rules flattened: the simulator does not aggregate ClusterRoles).
import { AUTHENTICATION_GROUP, AUTHORIZATION_GROUP, OBJECT_VERBS, RBAC_GROUP } from '../api/resources';
import type { ObjectStore } from '../registry/object-store';
import type { PolicyRule } from './rbac';
import { AUTHENTICATED_GROUP, PRIVILEGED_GROUP } from './users';

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

const rule = (apiGroups: string[], resources: string[], verbs: string[]): PolicyRule => ({ apiGroups, resources, verbs });

const VIEW: PolicyRule[] = [
  rule([''], ['configmaps', 'endpoints', 'pods', 'serviceaccounts', 'services', 'services/status'], READ),
  rule([''], ['events', 'namespaces/status', 'pods/log', 'pods/status'], READ),
  rule([''], ['namespaces'], READ),
  rule(['apps'], ['deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status'], READ),
];

const EDIT: PolicyRule[] = [
  rule([''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], READ),
  rule([''], ['serviceaccounts'], ['impersonate']),
  rule([''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], WRITE),
  rule([''], ['pods/eviction'], ['create']),
  rule([''], ['configmaps', 'events', 'secrets', 'serviceaccounts', 'services', 'services/proxy'], WRITE),
  rule([''], ['serviceaccounts/token'], ['create']),
  rule(['apps'], ['deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale'], WRITE),
  ...VIEW,
];

const ADMIN: PolicyRule[] = [
  rule([AUTHORIZATION_GROUP], ['localsubjectaccessreviews'], ['create']),
  rule([RBAC_GROUP], ['rolebindings', 'roles'], OBJECT_VERBS),
  ...EDIT,
];

const CLUSTER_ROLES: Record<string, PolicyRule[]> = {
  'cluster-admin': [rule(['*'], ['*'], ['*']), { nonResourceURLs: ['*'], verbs: ['*'] }],
  admin: ADMIN,
  edit: EDIT,
  view: VIEW,
  'system:discovery': [
    {
      nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'],
      verbs: ['get'],
    },
  ],
  'system:basic-user': [
    rule([AUTHORIZATION_GROUP], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create']),
    rule([AUTHENTICATION_GROUP], ['selfsubjectreviews'], ['create']),
  ],
  'system:public-info-viewer': [{ nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] }],
};

const CLUSTER_ROLE_BINDINGS: Record<string, string[]> = {
  'cluster-admin': [PRIVILEGED_GROUP],
  'system:discovery': [AUTHENTICATED_GROUP],
  'system:basic-user': [AUTHENTICATED_GROUP],
  'system:public-info-viewer': [AUTHENTICATED_GROUP, 'system:unauthenticated'],
};

const metadata = (name: string) => ({
  name,
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
});

export function createBootstrapPolicy(store: ObjectStore): void {
  const apiVersion = `${RBAC_GROUP}/v1`;
  for (const [name, rules] of Object.entries(CLUSTER_ROLES)) {
    store.create('clusterroles', { apiVersion, kind: 'ClusterRole', metadata: metadata(name), rules });
  }
  for (const [name, groups] of Object.entries(CLUSTER_ROLE_BINDINGS)) {
    store.create('clusterrolebindings', {
      apiVersion,
      kind: 'ClusterRoleBinding',
      metadata: metadata(name),
      roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name },
      subjects: groups.map((group) => ({ apiGroup: RBAC_GROUP, kind: 'Group', name: group })),
    });
  }
}
