// `ffk list`, `ffk status`, `ffk uninstall`, `ffk gc`: the agents in a namespace and their cleanup.
// Actions that talk to the cluster load their module (and client-node) only when they run.
import type { Command } from 'commander';
import { addClusterFlags, type ClusterFlags, isJson } from '../cli-kit/cluster-flags';
import { action } from '../cli-kit/errors';
import { createReporter, formatMs, type Print, table } from '../cli-kit/output';
import { localIntercepts } from '../intercept/local-state';

export function registerWorkloadCommands(program: Command, out: Print, err: Print): void {
  const jsonOf = (index: number) => (args: unknown[]) => isJson(args[index] as ClusterFlags);

  const list = program.command('list').description('Deployments of the namespace: agent installed, lease, active intercepts and their owners');
  addClusterFlags(list, { changes: false }).action(
    action(err, out, jsonOf(0), async (flags: ClusterFlags) => {
      await (await import('./list')).listCommand(flags, createReporter(isJson(flags), out, err));
    }),
  );

  program
    .command('status')
    .description('intercepts running on this machine (started with `ffk intercept` in other terminals)')
    .option('-o, --output <format>', 'human (default) or json')
    .action(
      action(err, out, jsonOf(0), (flags: ClusterFlags) => {
        const reporter = createReporter(isJson(flags), out, err);
        const running = localIntercepts();
        reporter.data({ intercepts: running });
        if (running.length === 0) return reporter.text('no intercept runs on this machine (start one with `ffk intercept <deployment> --port <local>`)');
        const rows = [['DEPLOYMENT', 'NAMESPACE', 'CONTEXT', 'MODE', 'LOCAL', 'PODS', 'ROUTED', 'DROPPED', 'RECONNECTS', 'SINCE']];
        for (const i of running) {
          rows.push([
            i.deployment,
            i.namespace,
            i.context,
            i.mode,
            `127.0.0.1:${i.localPort}`,
            String(i.pods.length),
            String(i.routed),
            // Only a mirror's copies can be dropped.
            i.mode.startsWith('mirror') ? String(i.dropped ?? 0) : '-',
            String(i.reconnects),
            formatMs(Date.now() - Date.parse(i.startedAt)),
          ]);
        }
        reporter.text(table(rows));
      }),
    );

  const uninstall = program
    .command('uninstall')
    .description('remove the ffk-agent sidecar and restore the Deployment and its Services exactly')
    .argument('[deployment]')
    .option('--all', 'every Deployment of the namespace that has the agent');
  addClusterFlags(uninstall, { changes: true }).action(
    action(err, out, jsonOf(1), async (name: string | undefined, flags: ClusterFlags & { all?: boolean }) => {
      await (await import('./cleanup')).uninstallCommand(name, flags, createReporter(isJson(flags), out, err));
    }),
  );

  const gc = program.command('gc').description('remove agents whose lease has expired (left behind by a crashed or closed laptop)');
  addClusterFlags(gc, { changes: true }).action(
    action(err, out, jsonOf(0), async (flags: ClusterFlags) => {
      await (await import('./cleanup')).gcCommand(flags, createReporter(isJson(flags), out, err));
    }),
  );
}
