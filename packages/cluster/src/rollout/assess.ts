import type { V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { type PodCondition, podCondition } from './pod-problems';

export interface RolloutCounts {
  desired: number;
  updated: number;
  ready: number;
  available: number;
  /** Pods of older revisions still counted in status.replicas. */
  old: number;
}

export interface RolloutState {
  done: boolean;
  /** What is being waited for right now, e.g. "2 of 3 pods updated". */
  message: string;
  counts: RolloutCounts;
  /** Set when Kubernetes gave up (Progressing=False, ProgressDeadlineExceeded). */
  failed?: string;
  /** Why each not-Ready pod of the new revision is not Ready, oldest pod first. */
  pods: PodCondition[];
}

const REVISION = 'deployment.kubernetes.io/revision';

/**
 * The rollout's state from the Deployment, its ReplicaSets and pods, following the checks
 * `kubectl rollout status` makes (kubectl/pkg/polymorphichelpers/rollout_status.go) and adding
 * which pod is holding it up and why.
 */
export function assessRollout(deployment: V1Deployment, replicaSets: readonly V1ReplicaSet[], pods: readonly V1Pod[]): RolloutState {
  const status = deployment.status ?? {};
  const counts: RolloutCounts = {
    desired: deployment.spec?.replicas ?? 1,
    updated: status.updatedReplicas ?? 0,
    ready: status.readyReplicas ?? 0,
    available: status.availableReplicas ?? 0,
    old: Math.max(0, (status.replicas ?? 0) - (status.updatedReplicas ?? 0)),
  };
  const newPods = newRevisionPods(deployment, replicaSets, pods);
  const conditions = newPods.map(podCondition).filter((c): c is PodCondition => c !== undefined);
  const state = (done: boolean, message: string, failed?: string): RolloutState => ({ done, message, counts, failed, pods: conditions });
  const blocker = conditions[0]
    ? `; waiting for pod ${conditions[0].pod} to become Ready: ${conditions[0].text}`
    : newPods.length < counts.desired
      ? '; waiting for its pods to be created'
      : '';

  if ((deployment.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) {
    return state(false, 'waiting for the Deployment controller to see the new spec');
  }
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    const seconds = deployment.spec?.progressDeadlineSeconds ?? 600;
    return state(false, progressing.message ?? 'progress deadline exceeded', `exceeded its progress deadline (${seconds}s)${blocker}`);
  }
  if (counts.updated < counts.desired) return state(false, `${counts.updated} of ${counts.desired} pods updated${blocker}`);
  // Old pods go only once new ones are Ready: name the pod that holds them (its readiness probe).
  if (counts.old > 0) return state(false, `${counts.old} old pod${counts.old === 1 ? '' : 's'} pending termination${blocker}`);
  if (counts.available < counts.updated) return state(false, `${counts.available} of ${counts.updated} updated pods available${blocker}`);
  return state(true, `${counts.available} of ${counts.desired} pods updated and available`);
}

/**
 * Pods of the Deployment's current revision: the ReplicaSet it owns whose revision annotation
 * matches its own (newest owned one as fallback). Without ReplicaSets, all selected pods.
 */
function newRevisionPods(deployment: V1Deployment, replicaSets: readonly V1ReplicaSet[], pods: readonly V1Pod[]): V1Pod[] {
  const owned = replicaSets.filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.uid === deployment.metadata?.uid));
  const revision = deployment.metadata?.annotations?.[REVISION];
  const current = owned.find((rs) => revision && rs.metadata?.annotations?.[REVISION] === revision) ?? owned.sort((a, b) => time(b) - time(a))[0];
  const hash = current?.metadata?.labels?.['pod-template-hash'];
  return pods
    .filter((pod) => !pod.metadata?.deletionTimestamp)
    .filter((pod) => !hash || pod.metadata?.labels?.['pod-template-hash'] === hash)
    .sort((a, b) => time(a) - time(b));
}

function time(object: { metadata?: { creationTimestamp?: Date } }): number {
  const t = object.metadata?.creationTimestamp;
  return t ? new Date(t).getTime() : 0;
}
