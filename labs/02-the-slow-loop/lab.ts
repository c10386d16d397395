// Lab 2: the outer loop, measured. The learner changes the banner; the check does what a
// pipeline would (build, load, roll out), then waits until the storefront shows the change.
import { defineLab, fail, formatDuration, type LabContext, pass } from '@ffk/labs';
import { BANNER_FILE, BANNER_HINTS, bannerSolution, changedBanner } from '../shared/banner';
import { buildImage, clusterTarget, clusterUp, IMAGES, kubectl, loadImages, rollout } from '../shared/cluster';
import { LOOPS } from '../shared/loops';
import { redeployApp } from '../shared/reset';
import { viewStorefront, waitForStorefront } from '../shared/storefront';

/** The outer loop for catalog on this backend; returns the name its measurement is kept under. */
async function shipCatalog(ctx: LabContext): Promise<string> {
  const onSim = (await clusterTarget(ctx)).backend === 'sim';
  if (onSim && !(await ctx.has('docker'))) {
    // Without an engine kube-sim runs sources, not images: a restarted pod is the closest it gets.
    ctx.log('kube-sim: kubectl rollout restart deployment/catalog (no Docker engine, no image to build: simulated)');
    await kubectl(ctx, ['rollout', 'restart', 'deployment/catalog']);
    await rollout(ctx, 'catalog');
    return LOOPS.outerSim;
  }
  // A new tag per build, as a pipeline tags per commit: the node keeps the old image, and the
  // Deployment's template changes, so Kubernetes rolls out. kube-sim runs the image from this
  // machine's engine, so there is nothing to load.
  const catalog = IMAGES.find((i) => i.image === 'ffk/catalog');
  if (!catalog) throw new Error(`@ffk/images lists no ffk/catalog image (it has ${IMAGES.map((i) => i.image).join(', ')})`);
  const ref = await buildImage(ctx, catalog, `0.1.0-dev.${Date.now()}`);
  if (!onSim) await loadImages(ctx, [ref]);
  await kubectl(ctx, ['set', 'image', 'deployment/catalog', `catalog=${ref}`]);
  await rollout(ctx, 'catalog');
  return onSim ? LOOPS.outerDockerSim : LOOPS.outerKind;
}

export default defineLab({
  title: 'The slow loop',
  summary: `Every change you make to a service in Kubernetes has to travel the **outer loop** before you
can see it: build an image, get it to the cluster, roll it out. In this lab you change one line
of the \`catalog\` service and measure, from the moment you save, how long that takes to show up on
the storefront.`,
  prepare: clusterUp,
  steps: [
    {
      kind: 'text',
      title: 'What the outer loop is',
      body: `The inner loop is where you code and test; pushing your code starts the outer loop: merge,
automated review, tests, image builds, deployment, a careful rollout and watching what happens.
Each of those steps is there for a good reason, and a modern pipeline automates all of them.

The trouble starts when the outer loop is the only way to see your change *in the cluster*. With
the "shift left", you are responsible for how your service behaves in the wild: its neighbours,
its configuration, its manifests. If every "does this work over there?" costs a build and a
rollout, you stop asking, or you wait.`,
    },
    {
      kind: 'text',
      title: 'What happens when you save',
      body: `In this lab the runner plays the pipeline. Each time you save \`${BANNER_FILE}\` it:

1. builds a new \`ffk/catalog\` image with a fresh tag (\`docker build\`),
2. loads it into the kind node (\`kind load docker-image\`),
3. points the Deployment at it (\`kubectl set image\`) and waits for the rollout,
4. reloads the storefront until the new banner shows, and keeps the time from your save.

That is still faster than a real pipeline: no push to a registry, no CI queue, no review.

**On kube-sim with a Docker engine** (no kind) the image is built for real and the simulated
cluster runs it, so step 2 falls away: that measurement is labelled *docker build + rollout, kube-sim*.
**Offline mode without Docker** has no images: there the runner restarts the catalog Deployment
(\`kubectl rollout restart\`), and the new pod runs your new source. That measurement is labelled
*simulated*: it leaves out the build and the load, which are most of the real thing.`,
    },
    {
      kind: 'task',
      title: 'Change the banner and wait for it',
      body: `Open \`${BANNER_FILE}\` and give the storefront a new banner: change the \`text\`. Save, and watch
the runner take your change through the outer loop. Then look at http://localhost:8080.`,
      watch: [BANNER_FILE],
      // A first image build of catalog can take minutes; later ones reuse the cached layers.
      timeoutMs: 600_000,
      check: async (ctx) => {
        const change = await changedBanner(ctx);
        if ('notYet' in change) return fail(change.notYet);
        const savedAt = ctx.savedAt ?? Date.now();
        if ((await viewStorefront()).banner === change.text) return pass(`the storefront already shows "${change.text}"`);
        const loop = await shipCatalog(ctx);
        const view = await waitForStorefront((v) => v.banner === change.text, { timeoutMs: 30_000, waitingFor: `"${change.text}"`, signal: ctx.signal });
        const ms = Date.now() - savedAt;
        ctx.recordLoop(loop, ms);
        return pass(`the storefront shows "${change.text}" from ${view.servedBy.banner}, ${formatDuration(ms)} after your save (${loop})`);
      },
      hints: [...BANNER_HINTS, 'The check runs when you save; the runner then builds, loads and rolls out for you. Give it a minute.'],
      solution: bannerSolution('Rebuilt and rolled out: '),
    },
    {
      kind: 'text',
      title: 'Where the time went',
      body: `Look at the lines the runner printed under the check: most of the time is the image build and
the rollout (a new pod has to start and pass its readiness probe before the old one goes). None
of it had anything to do with the line you changed.

Try it again: change the banner once more and save. The build is faster the second time
(cached layers), but the loop stays in the tens of seconds. Every run is kept for the chart.`,
    },
    {
      kind: 'chart',
      title: 'Your outer loop',
      body: 'Each bar is the median of your runs, from save to visible on the storefront.',
      loops: [LOOPS.outerKind, LOOPS.outerDockerSim, LOOPS.outerSim],
    },
  ],
  resetCluster: redeployApp,
});
