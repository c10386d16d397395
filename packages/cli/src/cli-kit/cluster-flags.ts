// The flags every cluster command shares (cheap to register: the cluster code loads only when a
// command runs, see cluster-session.ts).
import type { Command } from 'commander';
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
    .option('-n, --namespace <name>', "namespace of the workload (default: the context's)")
    .option('--context <name>', 'kubeconfig context to use (default: current-context)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .option('-o, --output <format>', 'human (default) or json');
  if (options.changes)
    command.option(
      '--allow-remote-context',
      'allow changes on a context that is not a local cluster (local: kind-*, k3d-*, minikube, docker-desktop, rancher-desktop, ffk-sim with a server on this machine)',
    );
  return command;
}

export function isJson(flags: ClusterFlags): boolean {
  if (flags.output && !['json', 'human'].includes(flags.output)) throw new UsageError(`--output must be json or human, got "${flags.output}"`);
  return flags.output === 'json';
}
