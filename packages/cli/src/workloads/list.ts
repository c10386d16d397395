// `ffk list`: the Deployments of a namespace, their agents (version, lease) and everyone's intercepts.
import { type ClusterAccess, openPortForward, readDeployment, resolveReadyPods } from '@ffk/cluster';
import { Connector, DEFAULT_USER_HEADER, type InterceptInfo } from '@ffk/intercept';
import { listWorkloads, readToken, type WorkloadAgent } from '@ffk/intercept/control';
import type { ClusterFlags } from '../cli-kit/cluster-flags';
import { openClusterSession } from '../cli-kit/cluster-session';
import { type Reporter, table } from '../cli-kit/output';

export async function listCommand(flags: ClusterFlags, reporter: Reporter): Promise<void> {
  const session = openClusterSession(flags, { ...reporter, text: () => undefined }, { action: 'ffk list', changes: false });
  const workloads = await listWorkloads(session);
  const intercepts = await Promise.all(workloads.map((w) => (w.installed ? interceptsOf(session, w) : Promise.resolve([]))));
  if (reporter.json) {
    reporter.data({
      context: session.target.context,
      namespace: session.target.namespace,
      workloads: workloads.map((w, i) => ({ ...w, intercepts: intercepts[i] })),
    });
    return;
  }
  if (workloads.length === 0) return reporter.text(`no Deployments in namespace ${session.target.namespace} (context ${session.target.context})`);
  const rows = [['DEPLOYMENT', 'READY', 'AGENT VERSION', 'LEASE', 'INTERCEPTS']];
  workloads.forEach((w, i) => {
    const agent = w.installed
      ? w.record
        ? `${w.record.version ?? w.record.image} (${w.record.ports.map((p) => `${p.name}→${p.app}`).join(',')})`
        : 'installed'
      : '-';
    const lease = w.installed ? (w.expired ? 'expired' : `until ${w.leaseExpires?.slice(11, 19)} (${w.leaseHolder})`) : '-';
    const held = intercepts[i].map(describeIntercept);
    rows.push([w.name, `${w.readyReplicas}/${w.replicas}`, agent, lease, held.join('; ') || '-']);
  });
  reporter.text(`context ${session.target.context} · namespace ${session.target.namespace}\n${table(rows)}`);
}

/** One intercept in the table: what it takes (or copies) and who holds it; a mirror with its counts. */
function describeIntercept(x: InterceptInfo): string {
  if (x.mode === 'global') return `global by ${x.owner}`;
  const selector = x.value === undefined ? 'all' : `${x.header ?? DEFAULT_USER_HEADER}=${x.value}`;
  if (x.mode === 'personal') return `${selector} by ${x.owner}`;
  return `mirror of ${selector} by ${x.owner} (${x.copied ?? 0} copied, ${x.dropped ?? 0} dropped)`;
}

/** Everyone's intercepts on a workload, asked from its newest Ready agent (an observer connector, no intercept). */
async function interceptsOf(access: ClusterAccess, workload: WorkloadAgent): Promise<InterceptInfo[]> {
  const { record } = workload;
  if (!record) return [];
  try {
    const token = await readToken(access, record.secret);
    const ready = await podsOf(access, workload.name);
    const seen = await Promise.all(
      ready.map(async (pod) => {
        const observer = new Connector({ openStream: () => openPortForward(access.kc, access.target.namespace, pod, record.tunnelPort), token });
        const intercepts = new Promise<InterceptInfo[]>((resolve) => observer.once('intercepts', resolve));
        try {
          return await Promise.race([observer.start().then(() => intercepts), new Promise<InterceptInfo[]>((r) => setTimeout(() => r([]), 5000))]);
        } finally {
          await observer.stop();
        }
      }),
    );
    return [...new Map(seen.flat().map((i) => [i.id, i])).values()];
  } catch {
    return []; // unreadable token or unreachable pod: the table still shows the agent
  }
}

async function podsOf(access: ClusterAccess, deployment: string): Promise<string[]> {
  const found = await readDeployment(access, deployment);
  return (await resolveReadyPods(access.kc, access.target.namespace, found.spec?.selector ?? {})).flatMap((p) => p.metadata?.name ?? []);
}
