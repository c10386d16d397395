// `ffk uninstall` and `ffk gc`: agents removed, Deployments and Services restored exactly.
import { collectGarbage, listWorkloads, uninstallAgent } from '@ffk/intercept/control';
import type { ClusterFlags } from '../cli-kit/cluster-flags';
import { openClusterSession } from '../cli-kit/cluster-session';
import { UsageError } from '../cli-kit/errors';
import type { Reporter } from '../cli-kit/output';

export async function uninstallCommand(name: string | undefined, flags: ClusterFlags & { all?: boolean }, reporter: Reporter): Promise<void> {
  if (!name === !flags.all) throw new UsageError('name one Deployment, or pass --all: ffk uninstall catalog | ffk uninstall --all');
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
}

export async function gcCommand(flags: ClusterFlags, reporter: Reporter): Promise<void> {
  const session = openClusterSession(flags, reporter, { action: 'ffk gc', workload: 'Deployments whose agent lease has expired', changes: true });
  const removed = await collectGarbage(session, { onProgress: (m) => reporter.step(m) });
  reporter.done(removed.length ? `removed the agent from ${removed.join(', ')}` : 'no expired agent found');
  reporter.data({ removed });
}
