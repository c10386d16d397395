import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';

/** Why a pod is not Ready, in the kubelet's and scheduler's words. */
export interface PodCondition {
  pod: string;
  container?: string;
  /** Kubernetes reason: ErrImagePull, CrashLoopBackOff, Unschedulable, ContainerCreating, NotReady… */
  reason: string;
  /** One line for people: `container catalog not ready (CrashLoopBackOff)`. */
  text: string;
  image?: string;
  /** The kubelet's own message, when it says more than the reason (e.g. `secret "db" not found`). */
  detail?: string;
  /** True for reasons that do not fix themselves by waiting (until someone acts). */
  stuck: boolean;
}

// Waiting reasons after which the kubelet only retries the same thing; see kubelet's images
// and kuberuntime packages for where they are set.
const STUCK_REASONS = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CrashLoopBackOff',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'Unschedulable',
]);

export function isPodReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** What keeps a pod from being Ready, or undefined when it is Ready. */
export function podCondition(pod: V1Pod): PodCondition | undefined {
  if (isPodReady(pod)) return undefined;
  const name = pod.metadata?.name ?? '(unnamed)';
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') {
    const reason = scheduled.reason ?? 'Unschedulable';
    return { pod: name, reason, text: `not scheduled (${reason}${scheduled.message ? `: ${scheduled.message}` : ''})`, stuck: STUCK_REASONS.has(reason) };
  }
  const statuses = [...(pod.status?.initContainerStatuses ?? []).filter((s) => !s.ready && !s.state?.terminated), ...(pod.status?.containerStatuses ?? [])];
  const blocking = statuses.find((s) => s.state?.waiting && STUCK_REASONS.has(s.state.waiting.reason ?? '')) ?? statuses.find((s) => !s.ready);
  if (!blocking) {
    const phase = pod.status?.phase ?? 'Pending';
    return { pod: name, reason: phase, text: `containers not started yet (${phase})`, stuck: false };
  }
  return containerCondition(name, blocking);
}

function containerCondition(pod: string, status: V1ContainerStatus): PodCondition {
  const base = { pod, container: status.name, image: status.image };
  const waiting = status.state?.waiting;
  if (waiting) {
    const reason = waiting.reason ?? 'Waiting';
    const pull = /Image/.test(reason) ? `: cannot pull image "${status.image}"` : '';
    return { ...base, reason, detail: waiting.message, text: `container ${status.name} not ready (${reason})${pull}`, stuck: STUCK_REASONS.has(reason) };
  }
  const terminated = status.state?.terminated;
  if (terminated) {
    const reason = terminated.reason ?? 'Terminated';
    return { ...base, reason, text: `container ${status.name} exited (${reason}, exit code ${terminated.exitCode})`, stuck: false };
  }
  return { ...base, reason: 'NotReady', text: `container ${status.name} running but not ready yet (readiness probe)`, stuck: false };
}
