// Lab 6: leave, uninstall, prove nothing is left (ffk list, the Deployment and Service against
// the overlay), look at every loop measured, and delete the cluster (or stop kube-sim).
import { join } from 'node:path';
import { renderKustomize } from '@ffk/cluster';
import { defineLab, type LabContext } from '@ffk/labs';
import { runningBackground, stopBackground } from '../shared/background';
import { clusterTarget, clusterUp, ffk, KIND_CLUSTER, kubectl } from '../shared/cluster';
import { ffkUninstall, interceptName, needsFfk, previewName } from '../shared/intercept';
import { ALL_LOOPS } from '../shared/loops';

interface Container {
  name: string;
  ports?: { name?: string; containerPort: number }[];
}
interface Workload {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { template?: { spec: { containers: Container[] } }; ports?: { name?: string; targetPort?: number | string }[] };
}

/** What an intercept touches, for comparison: containers and their ports, Service target ports, ffk annotations. */
function shape(object: Workload): string {
  const containers =
    object.spec.template?.spec.containers.map((c) => `${c.name}[${(c.ports ?? []).map((p) => `${p.name ?? ''}:${p.containerPort}`).join(',')}]`) ?? [];
  const ports = object.spec.ports?.map((p) => `${p.name ?? ''}->${p.targetPort ?? ''}`) ?? [];
  const annotations = Object.keys(object.metadata.annotations ?? {}).filter((key) => key.includes('ffk'));
  return JSON.stringify({ containers, ports, annotations });
}

async function compareWithOverlay(ctx: LabContext, kind: 'Deployment' | 'Service'): Promise<string> {
  const { overlay } = await clusterTarget(ctx);
  const wanted = (await renderKustomize(join(ctx.repoRoot, overlay))).find((m) => m.kind === kind && m.metadata.name === 'catalog') as unknown as
    Workload | undefined;
  if (!wanted) throw new Error(`${overlay} has no ${kind} catalog`);
  const live = JSON.parse(await kubectl(ctx, ['get', kind.toLowerCase(), 'catalog', '-o', 'json'])) as Workload;
  if (shape(wanted) !== shape(live))
    throw new Error(
      `${kind} catalog is not as ${overlay} describes it: ${shape(live)} instead of ${shape(wanted)}; \`npm run ffk -- uninstall catalog\` restores it`,
    );
  return `as in ${overlay}: ${shape(live)}`;
}

export default defineLab({
  title: 'Clean up and look back',
  summary: `A tool that changes your cluster should leave it as it found it. In this last lab you leave
every intercept, remove the agent, check that nothing of it is left, look at the loops you
measured along the way, and delete the cluster.`,
  prepare: clusterUp,
  steps: [
    {
      kind: 'action',
      title: 'Leave and uninstall',
      body: `\`ffk leave catalog\` ends an intercept running in another terminal; \`ffk uninstall catalog\`
removes the agent and restores the Deployment and its Service exactly as they were, from the
copy it kept in an annotation when it installed the agent.`,
      tasks: [
        {
          title: 'Stop what the labs started in the background',
          run: async (ctx) => {
            const names = runningBackground(ctx.repoRoot);
            for (const name of names) await stopBackground(ctx, name);
            return names.length ? `stopped ${names.join(', ')}` : 'nothing was running';
          },
        },
        {
          title: 'ffk leave catalog',
          skipIf: needsFfk('leave'),
          run: async (ctx) => {
            for (const options of [{}, { user: previewName() }]) await stopBackground(ctx, interceptName(options));
            const { context } = await clusterTarget(ctx);
            return (
              await ffk(ctx, ['leave', 'catalog', '--context', context]).catch(
                (error: { stdout?: string; stderr?: string }) => `${error.stderr ?? error.stdout ?? ''}`,
              )
            )
              .trim()
              .split('\n')
              .at(-1);
          },
        },
        { title: 'ffk uninstall catalog', skipIf: needsFfk('uninstall'), run: (ctx) => ffkUninstall(ctx) },
      ],
    },
    {
      kind: 'action',
      title: 'Check that nothing is left',
      tasks: [
        {
          title: 'ffk list: no agent, no intercept',
          skipIf: needsFfk('list'),
          run: async (ctx) => {
            const { context } = await clusterTarget(ctx);
            const listed = await ffk(ctx, ['list', '--context', context]);
            for (const line of listed.trim().split('\n')) ctx.log(line);
            const catalog = listed.split('\n').find((line) => /\bcatalog\b/.test(line)) ?? '';
            if (/intercept(ed|ing)\b|\bactive\b/i.test(catalog) || /agent (installed|yes)/i.test(catalog))
              throw new Error(`ffk list still shows catalog with an agent or intercept: ${catalog.trim()}`);
            return 'catalog has no agent and no intercept';
          },
        },
        { title: 'The catalog Deployment is as the overlay describes it', run: (ctx) => compareWithOverlay(ctx, 'Deployment') },
        { title: 'The catalog Service is as the overlay describes it', run: (ctx) => compareWithOverlay(ctx, 'Service') },
      ],
    },
    {
      kind: 'chart',
      title: 'Every loop you measured',
      body: `From save to visible on the storefront, the median of your runs of each loop. The outer loop is
what a pipeline costs you; file sync and intercepts are two ways back to an inner loop that
keeps the cluster in it. Keep the one that fits the change you are making.`,
      loops: [...ALL_LOOPS],
    },
    {
      kind: 'action',
      title: 'Delete the cluster',
      body: 'On kind this deletes the `ffk` cluster (`npm run lab:1` creates it again); in offline mode it stops kube-sim and the processes of its pods.',
      tasks: [
        {
          title: 'kind delete cluster --name ffk, or ffk sim stop',
          run: async (ctx) => {
            if ((await clusterTarget(ctx)).backend === 'sim') return (await ffk(ctx, ['sim', 'stop'])).trim();
            await ctx.$`kind delete cluster --name ${KIND_CLUSTER}`;
            return `kind cluster "${KIND_CLUSTER}" deleted`;
          },
        },
      ],
    },
  ],
});
