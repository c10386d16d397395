// Owner-reference and time helpers shared by the workload controllers and the kubelet.
import type { KubeObject, ObjectMeta, OwnerReference } from '../store/types';

/** Whatever has metadata: a stored object, or one read as its kind's type. */
type WithMetadata = { metadata: ObjectMeta };

export function controllerRef(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

export function controlledBy(object: WithMetadata, owner: WithMetadata): boolean {
  return (object.metadata.ownerReferences ?? []).some((ref) => ref.controller && ref.uid === owner.metadata.uid);
}

export function controllerOf(object: WithMetadata): OwnerReference | undefined {
  return (object.metadata.ownerReferences ?? []).find((ref) => ref.controller);
}

export const timestamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
