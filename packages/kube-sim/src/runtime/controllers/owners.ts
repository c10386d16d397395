// Reading controller references (the helpers that write them live in controllers/workloads.ts).
import { controlledBy, controllerOf } from '../../controllers/workloads';
import type { KubeObject } from '../../store/types';

export function ownedBy(objects: KubeObject[], owner: KubeObject): KubeObject[] {
  return objects.filter((object) => controlledBy(object, owner));
}

/** Key of the controlling owner of a given kind, for requeueing it when a dependent changes. */
export function ownerKey(object: KubeObject, kind: string): string | undefined {
  const ref = controllerOf(object);
  return ref?.kind === kind ? `${object.metadata.namespace ?? ''}/${ref.name}` : undefined;
}

/** Whether a stored status already has these numbers (the API may omit zeros). */
export function sameCounts(stored: Record<string, unknown> | undefined, counts: Record<string, number | undefined>): boolean {
  return Object.entries(counts).every(([field, value]) => ((stored?.[field] as number | undefined) ?? 0) === (value ?? 0));
}
