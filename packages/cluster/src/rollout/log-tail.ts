import { CoreV1Api } from '@kubernetes/client-node';
import type { ClusterAccess } from '../kubeconfig/access';

/**
 * The last log lines of a container: of its previous run when it crashed (what CrashLoopBackOff
 * users need), else of the current one. Empty when there are none or logs cannot be read.
 */
export async function lastLogLines(cluster: ClusterAccess, pod: string, container: string | undefined, lines = 10): Promise<string[]> {
  const api = cluster.kc.makeApiClient(CoreV1Api);
  const namespace = cluster.target.namespace;
  for (const previous of [true, false]) {
    try {
      const text = await api.readNamespacedPodLog({ name: pod, namespace, container, previous, tailLines: lines });
      const result = text.split('\n').filter((line) => line.trim());
      if (result.length) return result;
    } catch {
      // No previous container (or no logs endpoint): try the current run, then give up quietly.
    }
  }
  return [];
}
