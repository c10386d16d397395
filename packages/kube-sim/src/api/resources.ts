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
  options: { namespaced?: boolean; shortNames?: string[]; all?: boolean; subresources?: SubresourceType[] } = {},
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
  ];
}

export const apiVersionOf = (r: { group: string; version: string }) => (r.group ? `${r.group}/${r.version}` : r.version);
