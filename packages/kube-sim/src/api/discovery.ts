// Discovery documents: the legacy ones (/api, /apis, /api/v1, /apis/apps/v1) and the aggregated
// apidiscovery.k8s.io/v2 lists that kubectl asks for first (one request for every group).
import type { ResourceType } from './resources';

export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** True when the Accept header asks for aggregated discovery v2. */
export function wantsAggregated(accept: string | undefined): boolean {
  return /g=apidiscovery\.k8s\.io;\s*v=v2;\s*as=APIGroupDiscoveryList/.test(accept ?? '');
}

function groupVersions(resources: ResourceType[], legacy: boolean): Map<string, ResourceType[]> {
  const groups = new Map<string, ResourceType[]>();
  for (const r of resources) {
    if ((r.group === '') !== legacy) continue;
    groups.set(r.group, [...(groups.get(r.group) ?? []), r]);
  }
  return groups;
}

export function apiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function apiGroupList(resources: ResourceType[]) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groupVersions(resources, false).keys()].map((name) => apiGroup(name)),
  };
}

export function apiGroup(name: string) {
  const version = { groupVersion: `${name}/v1`, version: 'v1' };
  return { kind: 'APIGroup', apiVersion: 'v1', name, versions: [version], preferredVersion: version };
}

export function apiResourceList(resources: ResourceType[], group: string, version: string) {
  const served = resources.filter((r) => r.group === group && r.version === version);
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: served.flatMap((r) => [
      {
        name: r.plural,
        singularName: r.singular,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: r.verbs,
        ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
        ...(r.categories.length ? { categories: r.categories } : {}),
      },
      ...r.subresources.map((s) => ({
        name: `${r.plural}/${s.name}`,
        singularName: '',
        namespaced: r.namespaced,
        ...(s.group ? { group: s.group, version: s.version } : {}),
        kind: s.kind,
        verbs: s.verbs,
      })),
    ]),
  };
}

/** apidiscovery.k8s.io/v2 APIGroupDiscoveryList for /api (legacy) or /apis. */
export function aggregatedDiscovery(resources: ResourceType[], legacy: boolean) {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: [...groupVersions(resources, legacy)].map(([group, served]) => ({
      metadata: { name: group, creationTimestamp: null },
      versions: [
        {
          version: 'v1',
          resources: served.map((r) => ({
            resource: r.plural,
            responseKind: { group: r.group, version: r.version, kind: r.kind },
            scope: r.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: r.singular,
            verbs: r.verbs,
            ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
            ...(r.categories.length ? { categories: r.categories } : {}),
            ...(r.subresources.length
              ? {
                  subresources: r.subresources.map((s) => ({
                    subresource: s.name,
                    responseKind: { group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind },
                    verbs: s.verbs,
                  })),
                }
              : {}),
          })),
          freshness: 'Current',
        },
      ],
    })),
  };
}
