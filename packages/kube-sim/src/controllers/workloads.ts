// Helpers shared by the Deployment and ReplicaSet controllers.
import { createHash } from 'node:crypto';
import type { KubeObject, OwnerReference } from '../store/types';

const SAFE = 'bcdfghjkmnpqrstvwxz2456789';

/** A short, stable, DNS-safe hash of a pod template (the pod-template-hash label). */
export function podTemplateHash(template: unknown, collisionCount = 0): string {
  const digest = createHash('sha256').update(JSON.stringify(template)).update(String(collisionCount)).digest();
  let n = digest.readUInt32BE(0);
  let out = '';
  while (out.length < 10) {
    out += SAFE[n % SAFE.length];
    n = Math.floor(n / SAFE.length) || digest.readUInt32BE(4) + out.length;
  }
  return out;
}

export function controllerRef(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

export function controlledBy(object: KubeObject, owner: KubeObject): boolean {
  return (object.metadata.ownerReferences ?? []).some((ref) => ref.controller && ref.uid === owner.metadata.uid);
}

export function controllerOf(object: KubeObject): OwnerReference | undefined {
  return (object.metadata.ownerReferences ?? []).find((ref) => ref.controller);
}

export function isPodReady(pod: KubeObject): boolean {
  return (pod.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
}

export const timestamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** Conditions as the controllers write them, keeping transition times when nothing changed. */
export function condition(previous: Record<string, any>[] | undefined, type: string, status: string, reason: string, message: string) {
  const before = previous?.find((c) => c.type === type);
  const now = timestamp();
  const unchanged = before && before.status === status && before.reason === reason;
  return {
    type,
    status,
    lastUpdateTime: unchanged ? before.lastUpdateTime : now,
    lastTransitionTime: before && before.status === status ? before.lastTransitionTime : now,
    reason,
    message,
  };
}
