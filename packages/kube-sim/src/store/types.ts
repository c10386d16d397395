/** A Kubernetes object as JSON. The store hands out copies; changing one changes nothing stored. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  /** Kind-specific fields (spec, status, data...): JSON the store does not read; src/registry/kinds.ts types them per kind. */
  [field: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  generateName?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: Record<string, unknown>[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change, as stored in the history and sent to watchers. */
export interface StoredEvent {
  type: WatchEventType;
  /** Plural resource name, e.g. `pods`, `deployments`. */
  resource: string;
  object: KubeObject;
  /** The object before a MODIFIED/DELETED change (lets watchers with selectors see objects leave). */
  previous?: KubeObject;
  resourceVersion: number;
}
