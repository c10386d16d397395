// Lab 5: the other way to a fast loop: Skaffold's file sync copies the edited source into the
// running container, whose tsx watch restarts the process. Needs a Docker engine, kind and
// Skaffold; in offline mode every step that needs them is skipped with that reason.
import { readFileSync } from 'node:fs';
import { defineLab, fail, formatDuration, pass } from '@ffk/labs';
import { logFile, startBackground, stopBackground } from '../shared/background';
import { BANNER_FILE, BANNER_HINTS, bannerSolution, changedBanner } from '../shared/banner';
import { clusterUp, rollout } from '../shared/cluster';
import { ffkUninstall, stopLeftoverIntercepts } from '../shared/intercept';
import { ALL_LOOPS, LOOPS } from '../shared/loops';
import { redeployApp } from '../shared/reset';
import { waitForStorefront } from '../shared/storefront';

const SKAFFOLD = 'skaffold-dev';
const TOOLS = ['docker', 'kind', 'skaffold'] as const;

export default defineLab({
  title: 'Skaffold dev with file sync',
  summary: `Intercepts bring the cluster to your laptop. Skaffold takes the other road: it keeps your code in
the cluster, and makes the trip there short. With file sync, a saved file is copied into the
running container, and the process inside restarts: no image build, no rollout.`,
  prepare: [...clusterUp, stopLeftoverIntercepts],
  steps: [
    {
      kind: 'text',
      title: 'What skaffold dev does',
      body: `\`skaffold dev\` builds the images, deploys them, streams their logs and watches your files.
This repository's \`skaffold.yaml\` has a \`dev\` profile (on by itself under \`skaffold dev\`):

- the images are built from their \`dev\` target, which runs \`tsx watch\` instead of a bundle;
- a change under \`apps/catalog/src/\` is **synced**: copied into the running catalog container,
  where tsx notices it and restarts the process;
- any other change (a \`package.json\`, a Dockerfile) still means a rebuild and a redeploy.

It needs a Docker engine, kind and Skaffold. In offline mode (kube-sim) there are no images and
no containers to sync into, so this lab's steps are skipped and say so: none is counted as passed.`,
    },
    {
      kind: 'action',
      title: 'Start skaffold dev',
      body: 'The first run builds the `dev` images (a few minutes); its output goes to `.ffk/labs/skaffold-dev.log`.',
      tasks: [
        {
          title: 'skaffold dev --cleanup=false',
          needs: [...TOOLS],
          run: async (ctx) => {
            // Skaffold applies the manifests again: an intercept agent must not be in the way.
            ctx.log(await ffkUninstall(ctx));
            return startBackground(ctx, {
              name: SKAFFOLD,
              command: 'skaffold',
              args: ['dev', '--cleanup=false', '--port-forward=off'],
              env: process.env,
              ready: async () => {
                for (const deadline = Date.now() + 600_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 500))) {
                  if (readFileSync(logFile(ctx.repoRoot, SKAFFOLD), 'utf8').includes('Watching for changes')) {
                    await rollout(ctx, 'catalog');
                    return 'deployed the dev images; watching for changes';
                  }
                }
                throw new Error('skaffold dev did not reach "Watching for changes" within 10 minutes');
              },
            });
          },
        },
      ],
    },
    {
      kind: 'task',
      title: 'Change the banner, synced into the pod',
      body: `Change the banner \`text\` in \`${BANNER_FILE}\` and save. Skaffold copies the file into the catalog
container, tsx restarts catalog there, and the storefront shows it: measured from your save.`,
      watch: [BANNER_FILE],
      needs: [...TOOLS],
      timeoutMs: 120_000,
      check: async (ctx) => {
        const change = await changedBanner(ctx);
        if ('notYet' in change) return fail(change.notYet);
        const view = await waitForStorefront((v) => v.banner === change.text, {
          timeoutMs: 110_000,
          waitingFor: `"${change.text}" (is skaffold dev still running?)`,
          signal: ctx.signal,
        });
        if (ctx.savedAt === undefined) return pass(`the storefront shows "${change.text}" from ${view.servedBy.banner}`);
        const ms = Date.now() - ctx.savedAt;
        ctx.recordLoop(LOOPS.skaffold, ms);
        return pass(`the storefront shows "${change.text}" from pod ${view.servedBy.banner}, ${formatDuration(ms)} after your save`);
      },
      hints: [...BANNER_HINTS, 'Watch `.ffk/labs/skaffold-dev.log`: it says "Syncing 1 files for ffk/catalog" when it copies your change.'],
      solution: bannerSolution('Synced by Skaffold: '),
    },
    {
      kind: 'action',
      title: 'Stop skaffold dev and put the app back',
      tasks: [
        {
          title: 'Ctrl-C on skaffold dev, then re-apply k8s/overlays/kind',
          needs: [...TOOLS],
          run: async (ctx) => {
            await stopBackground(ctx, SKAFFOLD);
            await redeployApp(ctx);
            return 'the production images run again';
          },
        },
      ],
    },
    {
      kind: 'text',
      title: 'Sync or intercept?',
      body: `Both loops are fast; they trade different things:

- **File sync** runs your code in the real pod: its image, its limits, its network. But you need
  a container engine and an image build to start, the debugger has to attach to a pod, and only
  the files the sync rules name skip the rebuild.
- **An intercept** runs your code on your machine with your tools, and reaches the cluster for
  everything else; it starts in about a second once the agent is installed. But the process is
  not in the pod: a different OS, filesystem and CPU.

Most teams use both: sync for "does it work in its container", intercepts for everyday work.`,
    },
    {
      kind: 'chart',
      title: 'Every loop so far',
      body: 'Your measurements from labs 2, 3, 4 and 5.',
      loops: [...ALL_LOOPS],
    },
  ],
  resetCluster: async (ctx) => {
    await stopBackground(ctx, SKAFFOLD);
    await redeployApp(ctx);
  },
});
