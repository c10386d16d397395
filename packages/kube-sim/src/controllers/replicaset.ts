// The ReplicaSet controller: keeps spec.replicas pods (from the template, owned by the
// ReplicaSet) and reports how many exist and are ready.
import type { ObjectStore } from '../registry/object-store';
import type { KubeObject } from '../store/types';
import { objectKey, splitKey, WorkQueue, type Controller } from './controller';
import { controlledBy, controllerOf, controllerRef, isPodReady } from './workloads';

function reconcile(store: ObjectStore, key: string): void {
  const [namespace, name] = splitKey(key);
  const replicaSet = store.find('replicasets', namespace, name);
  if (!replicaSet || replicaSet.metadata.deletionTimestamp) return;
  const pods = store.list('pods', { namespace }).items.filter((pod) => controlledBy(pod, replicaSet));
  const active = pods.filter((pod) => !pod.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(pod.status?.phase));
  const desired = replicaSet.spec?.replicas ?? 1;
  const template = replicaSet.spec?.template ?? {};
  for (let i = active.length; i < desired; i += 1) {
    store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: '',
        generateName: `${name}-`,
        namespace,
        labels: { ...template.metadata?.labels },
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        ownerReferences: [controllerRef(replicaSet)],
      },
      spec: structuredClone(template.spec),
    });
  }
  if (active.length > desired) {
    // Like the real controller: not-ready and newer pods go first.
    const victims = [...active]
      .sort((a, b) => Number(isPodReady(a)) - Number(isPodReady(b)) || (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''))
      .slice(0, active.length - desired);
    for (const pod of victims) store.delete('pods', namespace, pod.metadata.name);
  }
  const current = store.list('pods', { namespace }).items.filter((pod) => controlledBy(pod, replicaSet) && !pod.metadata.deletionTimestamp);
  const ready = current.filter(isPodReady).length;
  const status = {
    replicas: current.length,
    fullyLabeledReplicas: current.length,
    readyReplicas: ready,
    availableReplicas: ready,
    observedGeneration: replicaSet.metadata.generation,
  };
  if (JSON.stringify(status) !== JSON.stringify(replicaSet.status ?? {})) {
    store.update('replicasets', { ...replicaSet, status }, { subresource: 'status' });
  }
}

export const replicaSetController: Controller = {
  name: 'replicaset',
  start(store) {
    const queue = new WorkQueue('replicaset', (key) => reconcile(store, key));
    const unsubscribe = store.subscribe((event) => {
      const object: KubeObject = event.object;
      if (event.resource === 'replicasets') queue.add(objectKey(object.metadata.namespace, object.metadata.name));
      if (event.resource === 'pods') {
        const owner = controllerOf(object);
        if (owner?.kind === 'ReplicaSet') queue.add(objectKey(object.metadata.namespace, owner.name));
      }
    });
    return () => {
      unsubscribe();
      queue.stop();
    };
  },
};
