// How lists and maps of the served kinds merge, as the Kubernetes types declare it with
// `patchStrategy`/`patchMergeKey` (strategic merge patch) and `listType`/`listMapKeys`
// (server-side apply). Keys: definition name (without `io.k8s.`) and property.

export interface PatchStrategy {
  /** `merge` (by mergeKey, or as a set for primitive lists), `retainKeys`, or both. */
  strategy: string;
  mergeKey?: string;
  /** Keys that identify an item for server-side apply (defaults to [mergeKey]). */
  mapKeys?: string[];
}

const byName = (strategy = 'merge'): PatchStrategy => ({ strategy, mergeKey: 'name' });
const conditions: PatchStrategy = { strategy: 'merge', mergeKey: 'type' };

export const PATCH_STRATEGIES: Record<string, Record<string, PatchStrategy>> = {
  'apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    ownerReferences: { strategy: 'merge', mergeKey: 'uid' },
    finalizers: { strategy: 'merge' },
  },
  'api.core.v1.PodSpec': {
    containers: byName(),
    initContainers: byName(),
    ephemeralContainers: byName(),
    volumes: byName('merge,retainKeys'),
    imagePullSecrets: byName(),
    hostAliases: { strategy: 'merge', mergeKey: 'ip' },
    topologySpreadConstraints: { strategy: 'merge', mergeKey: 'topologyKey', mapKeys: ['topologyKey', 'whenUnsatisfiable'] },
  },
  'api.core.v1.Container': {
    ports: { strategy: 'merge', mergeKey: 'containerPort', mapKeys: ['containerPort', 'protocol'] },
    env: byName(),
    volumeMounts: { strategy: 'merge', mergeKey: 'mountPath' },
    volumeDevices: { strategy: 'merge', mergeKey: 'devicePath' },
  },
  'api.core.v1.ServiceSpec': {
    ports: { strategy: 'merge', mergeKey: 'port', mapKeys: ['port', 'protocol'] },
  },
  'api.core.v1.ServiceAccount': { secrets: byName() },
  'api.core.v1.PodStatus': { conditions },
  'api.core.v1.NamespaceStatus': { conditions },
  'api.core.v1.ServiceStatus': { conditions },
  'api.apps.v1.DeploymentStatus': { conditions },
  'api.apps.v1.ReplicaSetStatus': { conditions },
  'api.apps.v1.DeploymentSpec': { strategy: { strategy: 'retainKeys' } },
};
