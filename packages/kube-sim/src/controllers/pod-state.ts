// Pod predicates the workload controllers share (pkg/controller/controller_utils.go, podutil).
import type { Pod } from '../runtime/kube-types';

export const isTerminating = (pod: Pod) => Boolean(pod.metadata.deletionTimestamp);
export const isActive = (pod: Pod) => !isTerminating(pod) && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';

export function readySince(pod: Pod): number | undefined {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  return ready?.status === 'True' ? Date.parse(ready.lastTransitionTime ?? '') || 0 : undefined;
}

/** Ready for at least minReadySeconds. */
export function isAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  const since = readySince(pod);
  return since !== undefined && (minReadySeconds <= 0 || since + minReadySeconds * 1000 <= now);
}

/**
 * The order in which a scale-down picks victims (ActivePods ranking): unscheduled before
 * scheduled, pending before running, not ready before ready, recently ready before long ready,
 * more restarts before fewer, newer before older.
 */
export function deletionOrder(a: Pod, b: Pod): number {
  const scheduled = (p: Pod) => (p.spec.nodeName ? 1 : 0);
  const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
  const phase = (p: Pod) => phaseRank[p.status?.phase ?? 'Pending'] ?? 0;
  const ready = (p: Pod) => (readySince(p) === undefined ? 0 : 1);
  const restarts = (p: Pod) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount));
  const created = (p: Pod) => Date.parse(p.metadata.creationTimestamp ?? '') || 0;
  return (
    scheduled(a) - scheduled(b) ||
    phase(a) - phase(b) ||
    ready(a) - ready(b) ||
    (ready(a) && ready(b) ? (readySince(b) ?? 0) - (readySince(a) ?? 0) : 0) ||
    restarts(b) - restarts(a) ||
    created(b) - created(a)
  );
}
