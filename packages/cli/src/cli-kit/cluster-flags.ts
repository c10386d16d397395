// The flags every cluster command shares, and the safety banner printed before any change.
import type { Command } from 'commander';
import { guardContext, loadKubeconfig, pinContext, type ClusterSession } from '@ffk/cluster';
import type { Reporter } from './output';
import { UsageError } from './errors';

export interface ClusterFlags {
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  allowRemoteContext?: boolean;
  output?: string;
}

export function addClusterFlags(command: Command, options: { changes: boolean }): Command {
  command
    .option('-n, --namespace <name>', 'namespace of the workload (default: the context\'s)')
    .option('--context <name>', 'kubeconfig context to use (default: current-context)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .option('-o, --output <format>', 'human (default) or json');
  if (options.changes) command.option('--allow-remote-context', 'allow changes on a context that is not a local cluster (local: kind-*, k3d-*, minikube, docker-desktop, rancher-desktop, ffk-sim with a server on this machine)');
  return command;
}

export function isJson(flags: ClusterFlags): boolean {
  if (flags.output && !['json', 'human'].includes(flags.output)) throw new UsageError(`--output must be json or human, got "${flags.output}"`);
  return flags.output === 'json';
}

/**
 * Loads the kubeconfig, prints what is about to be changed (context, server, namespace,
 * workload, mode), THEN refuses a remote context without the flag, and pins the context.
 */
export function openClusterSession(flags: ClusterFlags, reporter: Reporter, banner: { action: string; workload?: string; mode?: string; changes: boolean }): ClusterSession {
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
