// The Deployment controller (pkg/controller/deployment): one ReplicaSet per pod template
// (named <deployment>-<pod-template-hash>), revisions in annotations (so `kubectl rollout undo`
// and `history` work), rolling updates within maxSurge/maxUnavailable counted on available
// pods, Recreate, history cleanup, and the status and conditions `kubectl rollout status` reads.
import type { ObjectStore } from '../registry/object-store';
import { EventRecorder } from '../runtime/events';
import type { Condition, Deployment, ReplicaSet } from '../runtime/kube-types';
import type { KubeObject } from '../store/types';
import { type Controller, splitKey } from './controller';
import { ownedBy, sameCounts, startOwnerLoop } from './owners';
import { surgeAndUnavailable } from './rollout-math';
import { sameTemplate, TEMPLATE_HASH_LABEL, templateHash } from './template-hash';
import { controllerRef, timestamp } from './workloads';

export const REVISION = 'deployment.kubernetes.io/revision';
const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX = 'deployment.kubernetes.io/max-replicas';

type StoredRS = ReplicaSet & KubeObject;
type StoredDeployment = Deployment & KubeObject;

const revisionOf = (rs: KubeObject) => Number(rs.metadata.annotations?.[REVISION] ?? 0);
const specReplicas = (rs: StoredRS) => rs.spec.replicas ?? 0;
const createdAt = (o: KubeObject) => Date.parse(o.metadata.creationTimestamp ?? '') || 0;

export const deploymentController: Controller = {
  name: 'deployment',
  start(store) {
    const events = new EventRecorder(store, 'deployment-controller');
    return startOwnerLoop(store, {
      name: 'deployment',
      owner: 'deployments',
      owned: 'replicasets',
      ownerKind: 'Deployment',
      sync: (key) => sync(store, events, key),
    });
  },
};

function scale(store: ObjectStore, events: EventRecorder, deployment: StoredDeployment, rs: StoredRS, replicas: number): void {
  if (specReplicas(rs) === replicas) return;
  const { maxSurge } = surgeAndUnavailable(deployment);
  const wanted = deployment.spec.replicas ?? 1;
  store.patch('replicasets', rs.metadata.namespace, rs.metadata.name, 'merge', {
    metadata: { annotations: { [DESIRED]: String(wanted), [MAX]: String(wanted + maxSurge) } },
    spec: { replicas },
  });
  const direction = replicas > specReplicas(rs) ? 'up' : 'down';
  events.record(deployment, 'Normal', 'ScalingReplicaSet', `Scaled ${direction} replica set ${rs.metadata.name} from ${specReplicas(rs)} to ${replicas}`);
  rs.spec.replicas = replicas;
}

/** One reconcile; returns ms after which to look again (the progress deadline), if any. */
function sync(store: ObjectStore, events: EventRecorder, key: string): number | undefined {
  const [namespace, name] = splitKey(key);
  const deployment = store.find<StoredDeployment>('deployments', namespace, name);
  if (!deployment || deployment.metadata.deletionTimestamp) return undefined;
  const all = ownedBy(store.list<StoredRS>('replicasets', { namespace }).items, deployment);
  const replicas = deployment.spec.replicas ?? 1;
  const maxRevision = Math.max(0, ...all.map(revisionOf));

  let newRS = all.find((rs) => sameTemplate(rs.spec.template, deployment.spec.template));
  const olds = all.filter((rs) => rs !== newRS).sort((a, b) => createdAt(a) - createdAt(b));
  let created = false;

  if (!newRS && !deployment.spec.paused) {
    newRS = createReplicaSet(store, deployment, olds, maxRevision + 1);
    created = true;
    events.record(deployment, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${newRS.metadata.name} from 0 to ${specReplicas(newRS)}`);
  } else if (newRS && revisionOf(newRS) < maxRevision) {
    // Rolled back to an older template: that ReplicaSet becomes the newest revision again.
    newRS = store.patch('replicasets', namespace, newRS.metadata.name, 'merge', {
      metadata: { annotations: { [REVISION]: String(maxRevision + 1) } },
    }) as StoredRS;
  }

  if (newRS && !deployment.spec.paused) {
    if (deployment.spec.strategy?.type === 'Recreate') recreate(store, events, deployment, newRS, olds);
    else rollingUpdate(store, events, deployment, newRS, olds);
    cleanUpHistory(store, deployment, olds);
  }
  if (newRS && deployment.metadata.annotations?.[REVISION] !== String(revisionOf(newRS))) {
    store.patch('deployments', namespace, name, 'merge', { metadata: { annotations: { [REVISION]: String(revisionOf(newRS)) } } });
  }
  return writeStatus(store, namespace, name, newRS, olds, replicas, created);
}

function createReplicaSet(store: ObjectStore, deployment: StoredDeployment, olds: StoredRS[], revision: number): StoredRS {
  let collisionCount = deployment.status?.collisionCount ?? 0;
  const { maxSurge } = surgeAndUnavailable(deployment);
  const replicas = deployment.spec.replicas ?? 1;
  // Recreate starts the new ReplicaSet at zero; a rolling update may surge at once.
  const oldTotal = olds.reduce((sum, rs) => sum + specReplicas(rs), 0);
  const initial = deployment.spec.strategy?.type === 'Recreate' ? 0 : Math.max(0, Math.min(replicas, replicas + maxSurge - oldTotal));
  for (;;) {
    const hash = templateHash(deployment.spec.template, collisionCount);
    const rsName = `${deployment.metadata.name}-${hash}`;
    if (store.find('replicasets', deployment.metadata.namespace, rsName)) {
      collisionCount += 1; // a ReplicaSet of that name with another template: hash again, as Kubernetes does
      continue;
    }
    const template = structuredClone(deployment.spec.template);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [TEMPLATE_HASH_LABEL]: hash } };
    return store.create('replicasets', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        namespace: deployment.metadata.namespace,
        labels: { ...template.metadata.labels },
        annotations: { [REVISION]: String(revision), [DESIRED]: String(replicas), [MAX]: String(replicas + maxSurge) },
        ownerReferences: [controllerRef(deployment)],
      },
      spec: {
        replicas: initial,
        minReadySeconds: deployment.spec.minReadySeconds ?? 0,
        selector: {
          ...deployment.spec.selector,
          matchLabels: { ...deployment.spec.selector.matchLabels, [TEMPLATE_HASH_LABEL]: hash },
        },
        template,
      },
    }) as StoredRS;
  }
}

function rollingUpdate(store: ObjectStore, events: EventRecorder, deployment: StoredDeployment, newRS: StoredRS, olds: StoredRS[]): void {
  const replicas = deployment.spec.replicas ?? 1;
  const { maxSurge, maxUnavailable } = surgeAndUnavailable(deployment);
  const all = [newRS, ...olds];
  const total = () => all.reduce((sum, rs) => sum + specReplicas(rs), 0);

  // Scale up the new ReplicaSet as far as maxSurge allows. Kubernetes sums spec.replicas; we also
  // count pods a scaled-down ReplicaSet has not removed yet, so the bound holds at every moment.
  if (specReplicas(newRS) < replicas) {
    const existing = all.reduce((sum, rs) => sum + Math.max(specReplicas(rs), rs.status?.replicas ?? 0), 0);
    const room = replicas + maxSurge - existing;
    if (room > 0) scale(store, events, deployment, newRS, specReplicas(newRS) + Math.min(room, replicas - specReplicas(newRS)));
  } else if (specReplicas(newRS) > replicas) {
    scale(store, events, deployment, newRS, replicas);
  }

  // Scale down old ReplicaSets as far as maxUnavailable allows, unhealthy replicas first.
  const oldCount = olds.reduce((sum, rs) => sum + specReplicas(rs), 0);
  if (oldCount === 0) return;
  const minAvailable = replicas - maxUnavailable;
  const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  let budget = total() - minAvailable - newUnavailable;
  for (const rs of olds) {
    if (budget <= 0) break;
    const unhealthy = specReplicas(rs) - (rs.status?.availableReplicas ?? 0);
    const cut = Math.min(Math.max(0, unhealthy), budget);
    if (cut > 0) {
      scale(store, events, deployment, rs, specReplicas(rs) - cut);
      budget -= cut;
    }
  }
  const available = all.reduce((sum, rs) => sum + Math.min(rs.status?.availableReplicas ?? 0, specReplicas(rs)), 0);
  let downs = available - minAvailable;
  for (const rs of olds) {
    if (downs <= 0) break;
    const cut = Math.min(specReplicas(rs), downs);
    if (cut > 0) {
      scale(store, events, deployment, rs, specReplicas(rs) - cut);
      downs -= cut;
    }
  }
}

function recreate(store: ObjectStore, events: EventRecorder, deployment: StoredDeployment, newRS: StoredRS, olds: StoredRS[]): void {
  for (const rs of olds) scale(store, events, deployment, rs, 0);
  // Only once every old pod is gone does the new ReplicaSet get its pods.
  const oldPods = olds.reduce((sum, rs) => sum + (rs.status?.replicas ?? 0), 0);
  if (oldPods === 0) scale(store, events, deployment, newRS, deployment.spec.replicas ?? 1);
}

function cleanUpHistory(store: ObjectStore, deployment: StoredDeployment, olds: StoredRS[]): void {
  const limit = deployment.spec.revisionHistoryLimit ?? 10;
  const idle = olds.filter((rs) => specReplicas(rs) === 0 && (rs.status?.replicas ?? 0) === 0).sort((a, b) => revisionOf(a) - revisionOf(b));
  for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) store.delete('replicasets', rs.metadata.namespace, rs.metadata.name);
}

function condition(previous: Condition[] | undefined, next: Omit<Condition, 'lastUpdateTime' | 'lastTransitionTime'>, touch: boolean): Condition {
  const old = previous?.find((c) => c.type === next.type);
  const now = timestamp();
  const same = old && old.status === next.status && old.reason === next.reason && old.message === next.message;
  return {
    ...next,
    lastUpdateTime: same && !touch ? old.lastUpdateTime : now,
    lastTransitionTime: old && old.status === next.status ? old.lastTransitionTime : now,
  };
}

function writeStatus(
  store: ObjectStore,
  namespace: string | undefined,
  name: string,
  newRS: StoredRS | undefined,
  olds: StoredRS[],
  replicas: number,
  created: boolean,
): number | undefined {
  const deployment = store.get<StoredDeployment>('deployments', namespace, name);
  const all = [...(newRS ? [store.find<StoredRS>('replicasets', namespace, newRS.metadata.name) ?? newRS] : []), ...olds];
  const sum = (field: 'replicas' | 'readyReplicas' | 'availableReplicas') => all.reduce((total, rs) => total + (rs.status?.[field] ?? 0), 0);
  const freshNew = all[0] && newRS ? all[0] : undefined;
  const counts = {
    observedGeneration: deployment.metadata.generation,
    replicas: sum('replicas'),
    updatedReplicas: freshNew?.status?.replicas ?? 0,
    readyReplicas: sum('readyReplicas'),
    availableReplicas: sum('availableReplicas'),
    unavailableReplicas: Math.max(0, replicas - sum('availableReplicas')),
  };
  const { maxUnavailable } = surgeAndUnavailable(deployment);
  const previous = deployment.status?.conditions;
  const available = counts.availableReplicas >= replicas - maxUnavailable;
  const complete =
    counts.updatedReplicas === replicas &&
    counts.replicas === replicas &&
    counts.availableReplicas === replicas &&
    counts.observedGeneration === deployment.metadata.generation;
  const rsName = freshNew?.metadata.name ?? '';
  const oldProgress = previous?.find((c) => c.type === 'Progressing');
  const countsChanged = !sameCounts(deployment.status, counts);
  const deadlineMs = (deployment.spec.progressDeadlineSeconds ?? 600) * 1000;
  let progressing: Omit<Condition, 'lastUpdateTime' | 'lastTransitionTime'>;
  if (complete)
    progressing = { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsName}" has successfully progressed.` };
  else if (created) progressing = { type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${rsName}"` };
  else if (
    !countsChanged &&
    oldProgress &&
    oldProgress.reason !== 'NewReplicaSetAvailable' &&
    Date.now() - Date.parse(oldProgress.lastUpdateTime ?? '') > deadlineMs
  ) {
    progressing = { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rsName}" has timed out progressing.` };
  } else progressing = { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.` };
  const conditions = [
    condition(
      previous,
      available
        ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
        : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
      false,
    ),
    condition(previous, progressing, countsChanged && !complete),
  ];
  const status = { ...counts, ...(deployment.status?.collisionCount ? { collisionCount: deployment.status.collisionCount } : {}), conditions };
  if (countsChanged || JSON.stringify(previous) !== JSON.stringify(conditions)) {
    store.update('deployments', { ...deployment, status }, { subresource: 'status' });
  }
  // Not complete: look again when the progress deadline would pass.
  return complete || progressing.reason === 'ProgressDeadlineExceeded' ? undefined : deadlineMs + 100;
}
