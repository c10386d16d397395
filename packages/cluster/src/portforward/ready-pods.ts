import { CoreV1Api, type KubeConfig, type V1LabelSelector, type V1Pod } from '@kubernetes/client-node';
import { ClusterError } from '../errors/cluster-error';
import { friendly } from '../errors/friendly';
import { targetOf } from '../kubeconfig/access';
import { isPodReady, podCondition } from '../rollout/pod-problems';
import { selectorString } from '../workloads/selectors';

export type PodSelector = string | Record<string, string> | V1LabelSelector;

/** Ready, not terminating pods matching the selector, newest first (a fresh rollout's pods win). */
export async function resolveReadyPods(kc: KubeConfig, namespace: string, selector: PodSelector): Promise<V1Pod[]> {
  return (await listPods(kc, namespace, selector)).filter(usable).sort(newestFirst);
}

/** The newest Ready pod, or a one-line error saying why there is none. */
export async function newestReadyPod(kc: KubeConfig, namespace: string, selector: PodSelector): Promise<V1Pod> {
  const pods = await listPods(kc, namespace, selector);
  const ready = pods.filter(usable).sort(newestFirst);
  if (ready[0]) return ready[0];
  const labels = selectorString(selector);
  const why = pods.length
    ? pods
        .sort(newestFirst)
        .slice(0, 3)
        .map((pod) => `${pod.metadata?.name} ${pod.metadata?.deletionTimestamp ? 'terminating' : podCondition(pod)?.text}`)
        .join('; ')
    : 'no pod matches';
  throw new ClusterError('not-found', `no Ready pod with ${labels} in namespace "${namespace}": ${why}`, { details: { selector: labels } });
}

async function listPods(kc: KubeConfig, namespace: string, selector: PodSelector): Promise<V1Pod[]> {
  const api = kc.makeApiClient(CoreV1Api);
  const request = { verb: 'list', group: '', resource: 'pods', namespace };
  const list = await friendly({ target: targetOf(kc, namespace), request }, () =>
    api.listNamespacedPod({ namespace, labelSelector: selectorString(selector) }),
  );
  return list.items;
}

function usable(pod: V1Pod): boolean {
  return isPodReady(pod) && !pod.metadata?.deletionTimestamp;
}

function newestFirst(a: V1Pod, b: V1Pod): number {
  const time = (pod: V1Pod) => new Date(pod.metadata?.creationTimestamp ?? 0).getTime();
  return time(b) - time(a) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}
