// Reading controller references (the helpers that write them live in controllers/workloads.ts).
import type { ObjectStore } from '../registry/object-store';
import type { KubeObject } from '../store/types';
import { objectKey, WorkQueue } from './controller';
import { controlledBy, controllerOf } from './workloads';

export function ownedBy<T extends { metadata: KubeObject['metadata'] }>(objects: T[], owner: { metadata: KubeObject['metadata'] }): T[] {
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

export interface OwnerLoop {
  /** Queue name, for errors. */
  name: string;
  /** The resource reconciled (deployments) and the one it owns (replicasets), with the owner's kind. */
  owner: string;
  owned: string;
  ownerKind: string;
  /** Reconciles one `namespace/name`; returns ms after which to look again, if anything is pending. */
  sync(key: string): number | undefined;
}

/**
 * The loop of a controller that owns objects: each owner is synced when it or one of its owned
 * objects changes, and again when its sync asks to (one pending wake-up per owner, the latest).
 * Returns what stops it.
 */
export function startOwnerLoop(store: ObjectStore, loop: OwnerLoop): () => void {
  const timers = new Map<string, NodeJS.Timeout>();
  const queue = new WorkQueue(loop.name, (key) => {
    const wakeUp = loop.sync(key);
    clearTimeout(timers.get(key));
    if (wakeUp !== undefined)
      timers.set(
        key,
        setTimeout(() => queue.add(key), wakeUp),
      );
  });
  const stops = [
    store.watch(loop.owner, {}, (event) => queue.add(objectKey(event.object.metadata.namespace, event.object.metadata.name))),
    store.watch(loop.owned, {}, (event) => {
      const key = ownerKey(event.object, loop.ownerKind);
      if (key) queue.add(key);
    }),
  ];
  return () => {
    stops.forEach((stop) => stop());
    queue.stop();
    timers.forEach(clearTimeout);
  };
}
