// Lab 3: single service local, all other remote. `ffk intercept catalog` routes the cluster's
// catalog traffic to a catalog on this machine (under its `npm run dev` watcher), which reads the cluster's database
// and inventory through the same tunnel; a banner edit is measured from save to storefront.
import { defineLab, fail, formatDuration, pass } from '@ffk/labs';
import { BANNER_FILE, BANNER_HINTS, bannerSolution, changedBanner } from '../shared/banner';
import { clusterUp } from '../shared/cluster';
import { leaveIntercept, needsFfk, startIntercept, stopLeftoverIntercepts } from '../shared/intercept';
import { LOOPS } from '../shared/loops';
import { redeployApp } from '../shared/reset';
import { isLocal, viewStorefront, waitForStorefront } from '../shared/storefront';

const needsIntercept = needsFfk('intercept');

export default defineLab({
  title: 'Single service local, all other remote',
  summary: `The fastest loop you know is the one on your laptop: save, and the process restarts. In this lab
you keep that loop and still see your change *in the cluster*: \`ffk intercept\` sends the traffic
meant for the cluster's \`catalog\` to a \`catalog\` running on your machine, while everything else
(the storefront, inventory, PostgreSQL) stays where it is.`,
  prepare: [...clusterUp, stopLeftoverIntercepts],
  steps: [
    {
      kind: 'text',
      title: 'Make the remote local',
      body: `Developing in a fully remote environment gives you the slowest feedback loop there is: you met it
in lab 2. Developing fully locally means running every dependency yourself, and it drifts from
what runs in the cluster.

The middle way is **single service local, all other remote**: the one service you are changing
runs on your machine, with your editor, your debugger and a file watcher; the cluster keeps
running everything else. A proxy in the cluster (Telepresence is the well-known one; this course
ships a small one, \`ffk\`) forwards requests to your laptop and back, and lets your local process
reach the cluster's services as if it were a pod.`,
    },
    {
      kind: 'text',
      title: 'What ffk intercept does',
      body: `\`\`\`sh
npm run ffk -- intercept catalog --port 3000 -- npm run dev -w @ffk/catalog
\`\`\`

1. The first time, it adds a small **agent** container next to \`catalog\` in its pod (one rollout).
   The agent now receives the Service's traffic and passes it to the app, unchanged.
2. It opens a tunnel to the agent (a Kubernetes port-forward) and registers the intercept: from
   now on the agent sends catalog's requests through the tunnel to \`127.0.0.1:3000\`.
3. It imports the pod's environment (\`DATABASE_URL\`, \`INVENTORY_URL\`, …) with the cluster's host
   names pointed at local ends of the same tunnel, and runs your command with it.
4. Ctrl-C leaves: the agent sends the traffic to the cluster's catalog again, at once.

\`npm run dev -w @ffk/catalog\` runs catalog under \`service-dev\`, the kit's restart-on-save runner:
it restarts in about 0.2 s where \`tsx watch\` takes about 0.7 s, because a spare process waits
with the libraries already loaded. Any command works after \`--\`, \`npx tsx watch
apps/catalog/src/main.ts\` too.

In offline mode the runner uses \`--port 3100\`: there the cluster's pods are processes on your
machine, and the cluster's catalog already holds port 3000. \`ffk\` sets \`PORT\` to match.`,
    },
    {
      kind: 'action',
      title: 'Start the intercept',
      body: 'The runner starts it in the background for you (its output goes to `.ffk/labs/intercept-catalog.log`).',
      tasks: [
        { title: 'ffk intercept catalog -- npm run dev -w @ffk/catalog (the command above)', skipIf: needsIntercept, run: (ctx) => startIntercept(ctx, {}) },
      ],
    },
    {
      kind: 'action',
      title: 'Your catalog, the cluster’s data',
      body: `Open http://localhost:8080: the page comes from the cluster's \`web\`, but the products and the
banner now say **served by: local**. The stock still comes from the cluster's inventory, and the
products from the cluster's PostgreSQL: your local catalog reached both through the tunnel,
with no port-forward of yours and no copy of the database.`,
      tasks: [
        {
          title: "The storefront shows products from the local catalog, with the cluster's stock",
          skipIf: needsIntercept,
          run: async () => {
            const view = await viewStorefront();
            if (!isLocal(view.servedBy.products)) throw new Error(`products are served by ${view.servedBy.products ?? 'nobody'}, not by this machine`);
            if (view.products === 0 || view.inStock === 0)
              throw new Error(
                `the local catalog shows ${view.products} products, ${view.inStock} with stock: it cannot reach the cluster's database or inventory`,
              );
            if (isLocal(view.servedBy.inventory)) throw new Error('inventory is served locally: it should be the cluster’s');
            return `${view.products} products from the cluster's PostgreSQL, stock from ${view.servedBy.inventory}`;
          },
        },
      ],
    },
    {
      kind: 'task',
      title: 'Change the banner, see it through the cluster',
      body: `Change the banner \`text\` in \`${BANNER_FILE}\` and save. The watcher restarts your local catalog, and the
next request that reaches the cluster's storefront gets your banner. Compare the time the runner
measures with lab 2's.`,
      watch: [BANNER_FILE],
      skipIf: needsIntercept,
      timeoutMs: 20_000,
      check: async (ctx) => {
        const change = await changedBanner(ctx);
        if ('notYet' in change) return fail(change.notYet);
        const view = await waitForStorefront((v) => v.banner === change.text && isLocal(v.servedBy.banner), {
          timeoutMs: 15_000,
          waitingFor: `"${change.text}" from your local catalog (is the intercept still running?)`,
          signal: ctx.signal,
        });
        if (ctx.savedAt === undefined) return pass(`the storefront shows "${change.text}" from ${view.servedBy.banner}`);
        const ms = Date.now() - ctx.savedAt;
        ctx.recordLoop(LOOPS.intercept, ms);
        return pass(`the storefront at :8080 shows "${change.text}" from ${view.servedBy.banner}, ${formatDuration(ms)} after your save`);
      },
      hints: [
        ...BANNER_HINTS,
        'Nothing is built or rolled out this time: the cluster asks your laptop. If the page does not change, check `.ffk/labs/intercept-catalog.log`.',
      ],
      solution: bannerSolution('Served from my laptop: '),
    },
    {
      kind: 'action',
      title: 'Leave the intercept',
      body: "Ctrl-C on `ffk intercept` ends it: the cluster's catalog answers again straight away. The agent stays installed (lab 6 removes it), so the next intercept starts in about a second.",
      tasks: [{ title: 'Ctrl-C on ffk intercept', skipIf: needsIntercept, run: (ctx) => leaveIntercept(ctx, {}) }],
    },
    {
      kind: 'text',
      title: 'Set a breakpoint',
      body: `Because catalog runs on your machine, your debugger works on requests that came through the
cluster. In VS Code (or the Codespace):

1. Open \`apps/catalog/src/app.ts\` and set a breakpoint in the \`/banner\` route.
2. Run and Debug → **catalog: intercept + debug (through the cluster)** (\`.vscode/launch.json\`).
   It runs \`ffk intercept catalog --port 3000 -- node --inspect …\`, waits for the debugger
   to listen and attaches.
3. Reload http://localhost:8080: the storefront in the cluster calls catalog, the agent sends
   the request to your laptop, and VS Code stops on your breakpoint.
4. Stop the debug session: that is the Ctrl-C that leaves the intercept.

The terminal without VS Code: \`npm run ffk -- intercept catalog --port 3000 -- node --inspect
--import tsx apps/catalog/src/main.ts\` and attach any Node debugger to port 9229. In offline mode use \`--port 3100\` (see step 2).`,
    },
    {
      kind: 'chart',
      title: 'Outer loop against inner loop',
      body: 'Your measurements from labs 2 and 3, from save to visible on the storefront.',
      loops: [LOOPS.outerKind, LOOPS.outerDockerSim, LOOPS.outerSim, LOOPS.intercept],
    },
  ],
  resetCluster: redeployApp,
});
