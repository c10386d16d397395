// Owner-reference and time helpers shared by the workload controllers and the kubelet.
import type { KubeObject, ObjectMeta, OwnerReference } from '../store/types';

/** Whatever has metadata: a stored object, or one read as its kind's type. */
type WithMetadata = { metadata: ObjectMeta };

export function controllerRef(owner: KubeObject): OwnerReference {
  const { name, uid } = owner.metadata;
  if (!uid) throw new Error(`${owner.kind} ${name} has no uid: only a stored object can own others`);
  return { apiVersion: owner.apiVersion, kind: owner.kind, name, uid, controller: true, blockOwnerDeletion: true };
}

export function controlledBy(object: WithMetadata, owner: WithMetadata): boolean {
  return (object.metadata.ownerReferences ?? []).some((ref) => ref.controller && ref.uid === owner.metadata.uid);
}

export function controllerOf(object: WithMetadata): OwnerReference | undefined {
  return (object.metadata.ownerReferences ?? []).find((ref) => ref.controller);
}

export const timestamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
