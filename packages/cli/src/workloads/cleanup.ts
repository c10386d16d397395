// `ffk uninstall` and `ffk gc`: agents removed, Deployments and Services restored from their signed originals.
import { collectGarbage, listWorkloads, uninstallAgent } from '@ffk/intercept/control';
import type { ClusterFlags } from '../cli-kit/cluster-flags';
import { openClusterSession } from '../cli-kit/cluster-session';
import { exitWith, UsageError } from '../cli-kit/errors';
import type { Reporter } from '../cli-kit/output';

export async function uninstallCommand(name: string | undefined, flags: ClusterFlags & { all?: boolean }, reporter: Reporter): Promise<void> {
  if (!name === !flags.all) throw new UsageError('name one Deployment, or pass --all: ffk uninstall catalog | ffk uninstall --all');
  const session = openClusterSession(flags, reporter, {
    action: `ffk uninstall ${name ?? '--all'}`,
    workload: name ? `deployment/${name}` : 'every Deployment with the agent',
    changes: true,
  });
  const names = name ? [name] : (await listWorkloads(session)).filter((w) => w.installed).map((w) => w.name);
  const results = [];
  for (const deployment of names) {
    const started = performance.now();
    let result;
    try {
      result = await uninstallAgent(session, deployment, { onProgress: (m) => reporter.step(m) });
    } catch (error) {
      // One workload that cannot be restored does not stop the others of --all.
      if (!flags.all) throw error;
      reporter.warn(`${deployment}: ${(error as Error).message}`);
      results.push({ deployment, error: (error as Error).message });
      continue;
    }
    results.push({ deployment, ...result });
    const left = result.leftFields.length ? ` (left as changed since the install: ${result.leftFields.join(', ')})` : '';
    if (result.removed)
      reporter.done(
        `${deployment}: agent removed, Deployment${result.restoredServices.length ? ` and Service ${result.restoredServices.join(', ')}` : ''} restored${left}`,
        performance.now() - started,
      );
    else reporter.text(`${deployment}: no agent installed, nothing to do`);
  }
  if (names.length === 0) reporter.text('no Deployment in this namespace has the agent');
  reporter.data({ uninstalled: results });
  if (results.some((r) => 'error' in r)) exitWith(1);
}

export async function gcCommand(flags: ClusterFlags, reporter: Reporter): Promise<void> {
  const session = openClusterSession(flags, reporter, { action: 'ffk gc', workload: 'Deployments whose agent lease has expired', changes: true });
  const { removed, failed } = await collectGarbage(session, { onProgress: (m) => reporter.step(m) });
  for (const f of failed) reporter.warn(`${f.name}: ${f.message}`);
  reporter.done(
    removed.length ? `removed the agent from ${removed.join(', ')}` : failed.length ? 'no expired agent could be removed' : 'no expired agent found',
  );
  reporter.data({ removed, failed });
  if (failed.length) exitWith(1);
}
