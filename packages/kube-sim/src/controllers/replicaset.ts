// The ReplicaSet controller (pkg/controller/replicaset): keeps as many active pods as
// spec.replicas, created from the template with generateName `<rs>-` and a controller
// reference, and reports replicas / fullyLabeled / ready / available in status.
import type { ObjectStore } from '../registry/object-store';
import { EventRecorder } from '../runtime/events';
import type { Pod, ReplicaSet } from '../runtime/kube-types';
import type { KubeObject } from '../store/types';
import { type Controller, splitKey } from './controller';
import { ownedBy, sameCounts, startOwnerLoop } from './owners';
import { deletionOrder, isActive, isAvailable, readySince } from './pod-state';
import { controllerRef } from './workloads';

export const replicaSetController: Controller = {
  name: 'replicaset',
  start(store) {
    const events = new EventRecorder(store, 'replicaset-controller');
    return startOwnerLoop(store, { name: 'replicaset', owner: 'replicasets', owned: 'pods', ownerKind: 'ReplicaSet', sync: (key) => sync(store, events, key) });
  },
};

/** One reconcile; returns ms after which to look again (a pod becoming available), if any. */
function sync(store: ObjectStore, events: EventRecorder, key: string): number | undefined {
  const [namespace, name] = splitKey(key);
  const rs = store.find<ReplicaSet & KubeObject>('replicasets', namespace, name);
  if (!rs || rs.metadata.deletionTimestamp) return undefined;
  const pods = ownedBy(store.list<Pod>('pods', { namespace }).items, rs);
  const active = pods.filter(isActive);
  const wanted = rs.spec.replicas ?? 1;

  if (active.length < wanted) {
    const template = rs.spec.template;
    for (let i = active.length; i < wanted; i++) {
      const pod = store.create('pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: '',
          generateName: `${name}-`,
          namespace,
          labels: { ...template.metadata?.labels },
          ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
          ownerReferences: [controllerRef(rs)],
        },
        spec: structuredClone(template.spec),
      });
      events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
    }
  } else if (active.length > wanted) {
    for (const pod of [...active].sort(deletionOrder).slice(0, active.length - wanted)) {
      store.delete('pods', namespace, pod.metadata.name);
      events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    }
  }

  const now = Date.now();
  const minReady = rs.spec.minReadySeconds ?? 0;
  const current = ownedBy(store.list<Pod>('pods', { namespace }).items, rs);
  const live = current.filter(isActive);
  const templateLabels = Object.entries(rs.spec.template.metadata?.labels ?? {});
  const status = {
    replicas: live.length,
    fullyLabeledReplicas: live.filter((p) => templateLabels.every(([k, v]) => p.metadata.labels?.[k] === v)).length,
    readyReplicas: live.filter((p) => readySince(p) !== undefined).length,
    availableReplicas: live.filter((p) => isAvailable(p, minReady, now)).length,
    observedGeneration: rs.metadata.generation,
  };
  const fresh = store.find<ReplicaSet & KubeObject>('replicasets', namespace, name);
  if (fresh && !sameCounts(fresh.status, status)) {
    store.update(
      'replicasets',
      { ...fresh, status: { ...status, ...(fresh.status?.conditions ? { conditions: fresh.status.conditions } : {}) } },
      { subresource: 'status' },
    );
  }
  // Ready but not yet available: look again when minReadySeconds has passed.
  const pending = live.map((p) => readySince(p)).filter((t): t is number => t !== undefined && t + minReady * 1000 > now);
  return pending.length ? Math.min(...pending) + minReady * 1000 - now + 10 : undefined;
}
