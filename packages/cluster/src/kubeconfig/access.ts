import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterTarget } from './load';

/** What every cluster operation needs: a pinned KubeConfig and the target it points at (for messages). */
export interface ClusterAccess {
  kc: KubeConfig;
  target: ClusterTarget;
}

/** The target of a KubeConfig built elsewhere (e.g. by a caller that only has `kc`). */
export function targetOf(kc: KubeConfig, namespace?: string): ClusterTarget {
  const context = kc.getContextObject(kc.getCurrentContext());
  return {
    context: kc.getCurrentContext(),
    cluster: context?.cluster ?? '',
    server: kc.getCurrentCluster()?.server ?? '(no server)',
    namespace: namespace ?? context?.namespace ?? 'default',
    user: context?.user ?? '',
  };
}

/** ClusterAccess for a bare KubeConfig, optionally in another namespace than its context's. */
export function accessFor(kc: KubeConfig, namespace?: string): ClusterAccess {
  return { kc, target: targetOf(kc, namespace) };
}
