// The garbage collector: objects whose owners (ownerReferences) are all gone are deleted;
// an owner deleted with propagationPolicy=Foreground waits (finalizer foregroundDeletion) until
// its dependents are gone; with Orphan (finalizer orphan) its dependents lose the reference.
import type { ResourceType } from '../api/resources';
import type { ObjectStore } from '../registry/object-store';
import type { KubeObject, OwnerReference } from '../store/types';
import { type Controller, WorkQueue } from './controller';

interface Located {
  type: ResourceType;
  object: KubeObject;
}

function objectsIn(store: ObjectStore, namespace: string | undefined): Located[] {
  return store.resources
    .filter((type) => type.namespaced === Boolean(namespace))
    .flatMap((type) => store.list(type.plural, { namespace }).items.map((object) => ({ type, object })));
}

function ownerExists(store: ObjectStore, namespace: string | undefined, ref: OwnerReference): boolean {
  const type = store.resources.find((r) => r.kind === ref.kind && (r.group ? `${r.group}/${r.version}` : r.version) === ref.apiVersion);
  if (!type) return false;
  const owner = store.find(type.plural, type.namespaced ? namespace : undefined, ref.name);
  return owner?.metadata.uid === ref.uid;
}

function withoutFinalizer(object: KubeObject, finalizer: string): KubeObject {
  return { ...object, metadata: { ...object.metadata, finalizers: (object.metadata.finalizers ?? []).filter((f) => f !== finalizer) } };
}

/** One pass over a namespace (or the cluster scope): collect orphans, finish pending owners. */
function collect(store: ObjectStore, namespace: string | undefined): void {
  const scope = namespace ? objectsIn(store, namespace) : [];
  for (const { type, object } of scope) {
    const refs = object.metadata.ownerReferences ?? [];
    if (refs.length === 0 || object.metadata.deletionTimestamp) continue;
    const living = refs.filter((ref) => ownerExists(store, namespace, ref));
    if (living.length === 0) {
      const foreground = refs.some((ref) => isTerminatingWith(store, namespace, ref, 'foregroundDeletion'));
      store.delete(type.plural, namespace, object.metadata.name, { propagationPolicy: foreground ? 'Foreground' : 'Background' });
    } else if (living.length < refs.length) {
      store.update(type.plural, { ...object, metadata: { ...object.metadata, ownerReferences: living } });
    }
  }
  for (const { type, object } of [...scope, ...objectsIn(store, undefined)]) {
    const finalizers = object.metadata.finalizers ?? [];
    if (!object.metadata.deletionTimestamp) continue;
    const dependents = scope.filter((d) => d.object.metadata.ownerReferences?.some((ref) => ref.uid === object.metadata.uid));
    if (finalizers.includes('orphan')) {
      for (const d of dependents) {
        const refs = (d.object.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== object.metadata.uid);
        store.update(d.type.plural, { ...d.object, metadata: { ...d.object.metadata, ownerReferences: refs.length ? refs : undefined } });
      }
      store.update(type.plural, withoutFinalizer(object, 'orphan'));
    } else if (finalizers.includes('foregroundDeletion')) {
      for (const d of dependents) {
        if (!d.object.metadata.deletionTimestamp) store.delete(d.type.plural, namespace, d.object.metadata.name, { propagationPolicy: 'Foreground' });
      }
      const blocking = dependents.filter((d) => store.find(d.type.plural, namespace, d.object.metadata.name));
      if (blocking.length === 0) store.update(type.plural, withoutFinalizer(object, 'foregroundDeletion'));
    }
  }
}

function isTerminatingWith(store: ObjectStore, namespace: string | undefined, ref: OwnerReference, finalizer: string): boolean {
  const type = store.resources.find((r) => r.kind === ref.kind);
  const owner = type && store.find(type.plural, type.namespaced ? namespace : undefined, ref.name);
  return Boolean(owner?.metadata.deletionTimestamp && owner.metadata.finalizers?.includes(finalizer));
}

export const garbageCollector: Controller = {
  name: 'garbage-collector',
  start(store) {
    const queue = new WorkQueue('garbage-collector', (namespace) => collect(store, namespace || undefined));
    const unsubscribe = store.subscribe((event) => {
      const { metadata } = event.object;
      const finalizing = metadata.deletionTimestamp && metadata.finalizers?.some((f) => f === 'orphan' || f === 'foregroundDeletion');
      if (event.type === 'DELETED' || finalizing) queue.add(metadata.namespace ?? '');
      // A cluster-scoped owner (a Namespace) may own objects in any namespace: rare, not handled.
    });
    return () => {
      unsubscribe();
      queue.stop();
    };
  },
};
