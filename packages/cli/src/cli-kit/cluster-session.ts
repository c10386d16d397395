// The safety banner printed before any change, then the guard and the pinned context.
import { type ClusterSession, guardContext, loadKubeconfig, pinContext } from '@ffk/cluster';
import type { ClusterFlags } from './cluster-flags';
import type { Reporter } from './output';

/**
 * Loads the kubeconfig, prints what is about to be changed (context, server, namespace,
 * workload, mode), THEN refuses a remote context without the flag, and pins the context.
 */
export function openClusterSession(
  flags: ClusterFlags,
  reporter: Reporter,
  banner: { action: string; workload?: string; mode?: string; changes: boolean },
): ClusterSession {
  const loaded = loadKubeconfig({ kubeconfig: flags.kubeconfig, context: flags.context, namespace: flags.namespace });
  const { target } = loaded;
  const lines = [
    `${banner.action}`,
    `  context    ${target.context}`,
    `  server     ${target.server}`,
    `  namespace  ${target.namespace}`,
    ...(banner.workload ? [`  workload   ${banner.workload}`] : []),
    ...(banner.mode ? [`  mode       ${banner.mode}`] : []),
  ];
  reporter.text(lines.join('\n'));
  const classification = guardContext(target, { allowRemote: flags.allowRemoteContext || !banner.changes });
  return { ...loaded, classification, pin: pinContext(loaded) };
}
