// The Deployment controller: one ReplicaSet per pod template (named <deployment>-<hash>), scaled
// to spec.replicas; older ReplicaSets scale down as the new pods become available (Recreate:
// at once), at most revisionHistoryLimit old ones are kept; status sums up the ReplicaSets.
import type { ObjectStore } from '../registry/object-store';
import type { KubeObject } from '../store/types';
import { objectKey, splitKey, WorkQueue, type Controller } from './controller';
import { condition, controlledBy, controllerOf, controllerRef, podTemplateHash } from './workloads';

const REVISION = 'deployment.kubernetes.io/revision';
const revisionOf = (rs: KubeObject) => Number(rs.metadata.annotations?.[REVISION] ?? 0);

function newReplicaSet(deployment: KubeObject, hash: string, revision: number): KubeObject {
  const spec = deployment.spec;
  const labels = { ...spec.template?.metadata?.labels, 'pod-template-hash': hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${deployment.metadata.name}-${hash}`,
      namespace: deployment.metadata.namespace,
      labels,
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(spec.replicas),
        'deployment.kubernetes.io/max-replicas': String(spec.replicas),
        [REVISION]: String(revision),
      },
      ownerReferences: [controllerRef(deployment)],
    },
    spec: {
      replicas: spec.replicas,
      selector: { ...spec.selector, matchLabels: { ...spec.selector?.matchLabels, 'pod-template-hash': hash } },
      template: { ...spec.template, metadata: { ...spec.template?.metadata, labels } },
    },
  };
}

function scale(store: ObjectStore, rs: KubeObject, replicas: number): void {
  if (rs.spec.replicas === replicas) return;
  store.patch('replicasets', rs.metadata.namespace, rs.metadata.name, 'merge', { spec: { replicas } });
}

function reconcile(store: ObjectStore, key: string): void {
  const [namespace, name] = splitKey(key);
  const deployment = store.find('deployments', namespace, name);
  if (!deployment || deployment.metadata.deletionTimestamp) return;
  const spec = deployment.spec;
  const owned = store.list('replicasets', { namespace }).items.filter((rs) => controlledBy(rs, deployment));
  const hash = podTemplateHash(spec.template);
  let current = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
  const old = owned.filter((rs) => rs !== current);
  const maxRevision = Math.max(0, ...owned.map(revisionOf));
  if (!current) current = store.create('replicasets', newReplicaSet(deployment, hash, maxRevision + 1));
  else if (revisionOf(current) < maxRevision) {
    current = store.patch('replicasets', namespace, current.metadata.name, 'merge', { metadata: { annotations: { [REVISION]: String(maxRevision + 1) } } });
  }
  if (deployment.metadata.annotations?.[REVISION] !== current.metadata.annotations?.[REVISION]) {
    store.patch('deployments', namespace, name, 'merge', { metadata: { annotations: { [REVISION]: current.metadata.annotations?.[REVISION] } } });
  }
  const desired = spec.replicas ?? 1;
  if (!spec.paused) {
    scale(store, current, desired);
    // Old pods stay until new ones are available (Recreate: they go at once).
    const available = current.status?.availableReplicas ?? 0;
    let keep = spec.strategy?.type === 'Recreate' ? 0 : Math.max(0, desired - available);
    for (const rs of [...old].sort((a, b) => revisionOf(b) - revisionOf(a))) {
      const replicas = Math.min(rs.spec.replicas ?? 0, keep);
      keep -= replicas;
      scale(store, rs, replicas);
    }
    const history = old.filter((rs) => (rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0).sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of history.slice(0, Math.max(0, history.length - (spec.revisionHistoryLimit ?? 10)))) store.delete('replicasets', namespace, rs.metadata.name);
  }
  writeStatus(store, store.find('deployments', namespace, name) ?? deployment, store.find('replicasets', namespace, current.metadata.name) ?? current, old);
}

function writeStatus(store: ObjectStore, deployment: KubeObject, current: KubeObject, old: KubeObject[]): void {
  const all = [current, ...old.map((rs) => store.find('replicasets', rs.metadata.namespace, rs.metadata.name)).filter((rs): rs is KubeObject => rs !== undefined)];
  const sum = (field: string) => all.reduce((n, rs) => n + (rs.status?.[field] ?? 0), 0);
  const desired = deployment.spec.replicas ?? 1;
  const available = sum('availableReplicas');
  const updated = current.status?.replicas ?? 0;
  const complete = updated === desired && available >= desired && sum('replicas') === desired;
  const previous = deployment.status?.conditions;
  const status = {
    observedGeneration: deployment.metadata.generation,
    replicas: sum('replicas'),
    updatedReplicas: updated,
    readyReplicas: sum('readyReplicas'),
    availableReplicas: available,
    ...(desired - available > 0 ? { unavailableReplicas: desired - available } : {}),
    conditions: [
      available >= desired
        ? condition(previous, 'Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
        : condition(previous, 'Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'),
      complete
        ? condition(previous, 'Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${current.metadata.name}" has successfully progressed.`)
        : condition(previous, 'Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${current.metadata.name}" is progressing.`),
    ],
  };
  if (JSON.stringify(status) !== JSON.stringify(deployment.status ?? {})) {
    store.update('deployments', { ...deployment, status }, { subresource: 'status' });
  }
}

export const deploymentController: Controller = {
  name: 'deployment',
  start(store) {
    const queue = new WorkQueue('deployment', (key) => reconcile(store, key));
    const unsubscribe = store.subscribe((event) => {
      const object = event.object;
      if (event.resource === 'deployments') queue.add(objectKey(object.metadata.namespace, object.metadata.name));
      if (event.resource === 'replicasets') {
        const owner = controllerOf(object);
        if (owner?.kind === 'Deployment') queue.add(objectKey(object.metadata.namespace, owner.name));
      }
    });
    return () => {
      unsubscribe();
      queue.stop();
    };
  },
};
