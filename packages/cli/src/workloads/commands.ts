// `ffk list`, `ffk status`, `ffk uninstall`, `ffk gc`: the agents in a namespace and their cleanup.
import type { Command } from 'commander';
import { openPortForward, readDeployment, resolveReadyPods, type ClusterAccess } from '@ffk/cluster';
import { Connector, type InterceptInfo } from '@ffk/intercept';
import { collectGarbage, listWorkloads, readToken, uninstallAgent, type WorkloadAgent } from '@ffk/intercept/control';
import { addClusterFlags, isJson, openClusterSession, type ClusterFlags } from '../cli-kit/cluster-flags';
import { action, UsageError } from '../cli-kit/errors';
import { createReporter, formatMs, table, type Print } from '../cli-kit/output';
import { localIntercepts } from '../intercept/local-state';

export function registerWorkloadCommands(program: Command, out: Print, err: Print): void {
  const jsonOf = (index: number) => (args: unknown[]) => isJson(args[index] as ClusterFlags);

  const list = program.command('list').description('Deployments of the namespace: agent installed, lease, active intercepts and their owners');
  addClusterFlags(list, { changes: false }).action(
    action(err, out, jsonOf(0), async (flags: ClusterFlags) => {
      const reporter = createReporter(isJson(flags), out, err);
      const session = openClusterSession(flags, { ...reporter, text: () => undefined }, { action: 'ffk list', changes: false });
      const workloads = await listWorkloads(session);
      const intercepts = await Promise.all(workloads.map((w) => (w.installed ? interceptsOf(session, w) : Promise.resolve([]))));
      if (reporter.json) {
        reporter.data({ context: session.target.context, namespace: session.target.namespace, workloads: workloads.map((w, i) => ({ ...w, intercepts: intercepts[i] })) });
        return;
      }
      if (workloads.length === 0) return reporter.text(`no Deployments in namespace ${session.target.namespace} (context ${session.target.context})`);
      const rows = [['DEPLOYMENT', 'READY', 'AGENT', 'LEASE', 'INTERCEPTS']];
      workloads.forEach((w, i) => {
        const agent = w.installed ? (w.record ? `${w.record.image} (${w.record.ports.map((p) => `${p.name}→${p.app}`).join(',')})` : 'installed') : '-';
        const lease = w.installed ? (w.expired ? 'expired' : `until ${w.leaseExpires?.slice(11, 19)} (${w.leaseHolder})`) : '-';
        const held = intercepts[i].map((x) => (x.mode === 'global' ? `global by ${x.owner}` : `${x.header ?? 'x-ffk-user'}=${x.value} by ${x.owner}`));
        rows.push([w.name, `${w.readyReplicas}/${w.replicas}`, agent, lease, held.join('; ') || '-']);
      });
      reporter.text(`context ${session.target.context} · namespace ${session.target.namespace}\n${table(rows)}`);
    }),
  );

  program
    .command('status')
    .description('intercepts running on this machine (started with `ffk intercept` in other terminals)')
    .option('-o, --output <format>', 'human (default) or json')
    .action(
      action(err, out, jsonOf(0), async (flags: ClusterFlags) => {
        const reporter = createReporter(isJson(flags), out, err);
        const running = localIntercepts();
        reporter.data({ intercepts: running });
        if (running.length === 0) return reporter.text('no intercept runs on this machine (start one with `ffk intercept <deployment> --port <local>`)');
        const rows = [['DEPLOYMENT', 'NAMESPACE', 'CONTEXT', 'MODE', 'LOCAL', 'PODS', 'ROUTED', 'RECONNECTS', 'SINCE']];
        for (const i of running) {
          rows.push([i.deployment, i.namespace, i.context, i.mode, `127.0.0.1:${i.localPort}`, String(i.pods.length), String(i.routed), String(i.reconnects), formatMs(Date.now() - Date.parse(i.startedAt))]);
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
      if (!name === !flags.all) throw new UsageError('name one Deployment, or pass --all: ffk uninstall catalog | ffk uninstall --all');
      const reporter = createReporter(isJson(flags), out, err);
      const session = openClusterSession(flags, reporter, { action: `ffk uninstall ${name ?? '--all'}`, workload: name ? `deployment/${name}` : 'every Deployment with the agent', changes: true });
      const names = name ? [name] : (await listWorkloads(session)).filter((w) => w.installed).map((w) => w.name);
      const results = [];
      for (const deployment of names) {
        const started = performance.now();
        const result = await uninstallAgent(session, deployment, { onProgress: (m) => reporter.step(m) });
        results.push({ deployment, ...result });
        if (result.removed) reporter.done(`${deployment}: agent removed, Deployment${result.restoredServices.length ? ` and Service ${result.restoredServices.join(', ')}` : ''} restored`, performance.now() - started);
        else reporter.text(`${deployment}: no agent installed, nothing to do`);
      }
      if (names.length === 0) reporter.text('no Deployment in this namespace has the agent');
      reporter.data({ uninstalled: results });
    }),
  );

  const gc = program.command('gc').description('remove agents whose lease has expired (left behind by a crashed or closed laptop)');
  addClusterFlags(gc, { changes: true }).action(
    action(err, out, jsonOf(0), async (flags: ClusterFlags) => {
      const reporter = createReporter(isJson(flags), out, err);
      const session = openClusterSession(flags, reporter, { action: 'ffk gc', workload: 'Deployments whose agent lease has expired', changes: true });
      const removed = await collectGarbage(session, { onProgress: (m) => reporter.step(m) });
      reporter.done(removed.length ? `removed the agent from ${removed.join(', ')}` : 'no expired agent found');
      reporter.data({ removed });
    }),
  );
}

/** Everyone's intercepts on a workload, asked from its newest Ready agent (an observer connector, no intercept). */
async function interceptsOf(access: ClusterAccess, workload: WorkloadAgent): Promise<InterceptInfo[]> {
  if (!workload.record) return [];
  try {
    const token = await readToken(access, workload.record.secret);
    const ready = await podsOf(access, workload.name);
    const seen = await Promise.all(ready.map(async (pod) => {
      const observer = new Connector({ openStream: () => openPortForward(access.kc, access.target.namespace, pod, workload.record!.tunnelPort), token });
      const intercepts = new Promise<InterceptInfo[]>((resolve) => observer.once('intercepts', resolve));
      try {
        return await Promise.race([observer.start().then(() => intercepts), new Promise<InterceptInfo[]>((r) => setTimeout(() => r([]), 5000))]);
      } finally {
        await observer.stop();
      }
    }));
    return [...new Map(seen.flat().map((i) => [i.id, i])).values()];
  } catch {
    return []; // unreadable token or unreachable pod: the table still shows the agent
  }
}

async function podsOf(access: ClusterAccess, deployment: string): Promise<string[]> {
  const found = await readDeployment(access, deployment);
  return (await resolveReadyPods(access.kc, access.target.namespace, found.spec?.selector ?? {})).map((p) => p.metadata!.name!);
}
