// Lab 1: the cluster every other lab uses. Its action steps are the shared `clusterUp` tasks that
// the other labs run as their `prepare`, shown here one step at a time with the why.
import { spawn } from 'node:child_process';
import { defineLab } from '@ffk/labs';
import { buildImages, deployApp, loadImagesTask, startCluster, storefrontAnswers, waitForApp } from '../shared/cluster';
import { redeployApp } from '../shared/reset';
import { OFFLINE_MODE } from '../shared/words';

/** Opens the storefront in the learner's browser where the editor provides one (Codespaces sets $BROWSER). */
function openInBrowser(url: string): string {
  const browser = process.env.BROWSER;
  if (!browser) return `open ${url} in your browser`;
  spawn(browser, [url], { detached: true, stdio: 'ignore' })
    .on('error', () => {})
    .unref();
  return `opened ${url} with $BROWSER`;
}

export default defineLab({
  title: 'Cluster up',
  summary: `Before you can make a change reach a cluster quickly, you need a cluster, and an app
running in it that looks like the ones you work on. In this lab you bring up a local Kubernetes
cluster named \`ffk\` with kind, build the images of a small storefront, load them into the cluster,
deploy them with kustomize and open the storefront in your browser.`,
  steps: [
    {
      kind: 'text',
      title: 'Two loops',
      body: `Every change you make travels through two loops.

The **inner loop** is yours: edit, build, run, look. It happens on your machine and, at its best,
it takes about as long as it takes you to glance at the screen.

The **outer loop** is everything after you push: review, CI, images, deployment, a careful rollout,
watching what happens. It exists to make shipping safe, and it is allowed to take minutes.

Kubernetes tends to pull the outer loop into your day: to see a change in a realistic environment
you build a container image, ship it to a cluster and wait for a rollout. These labs measure how
long that takes, and then show you how to get the inner loop back without giving up the cluster.`,
    },
    {
      kind: 'text',
      title: 'The storefront',
      body: `The sample app has three services, each with its own container image:

- \`web\` renders the storefront page.
- \`catalog\` serves the products and the **banner** at the top of the page. It is the service you
  will change and, later, run on your own machine.
- \`inventory\` knows how many of each product are in stock.

Both APIs keep their data in PostgreSQL, which runs in the cluster too. Each answer carries a
**served by** badge naming the pod (or the laptop) that produced it, so you can always see where
the code you are looking at is running.`,
    },
    {
      kind: 'text',
      id: 'what-the-runner-does-for-you',
      title: 'What the runner does for you',
      body: `The slow parts are automated, and each one shows its progress and how long it took:

1. Create the kind cluster \`ffk\` from \`k8s/kind/cluster.yaml\` (if it is not there yet).
2. Build the images of \`web\`, \`catalog\` and \`inventory\`, with pinned tags.
3. Load them into the cluster's node with their Node base image, so nothing is pulled from a
   registry. (The intercept agent of lab 3 runs on that same base image: \`ffk\` brings its code.)
4. Deploy the app with \`kubectl apply -k k8s/overlays/kind\` and wait until every rollout is ready.
5. Forward the storefront to http://localhost:8080.

No Docker engine on this machine? Then the lab runs on **kube-sim**, a Kubernetes API simulator
that runs each pod as a local process. Everything you do with \`kubectl\` works the same; what you
do not get is real images, a real node and a real cluster network. \`npm run doctor\` tells you
which mode you are in and what to install for the other one.`,
    },
    {
      kind: 'action',
      title: 'Start the cluster',
      body: `A kind cluster is a Kubernetes node running as a Docker container on your machine. Creating it
takes about a minute the first time; after that the runner finds it and moves on.`,
      tasks: [startCluster],
    },
    {
      kind: 'action',
      title: 'Build the images and load them into the node',
      body: `This is the part of the outer loop that you will learn to skip: every image is built from its
\`Dockerfile\`, then copied into the cluster's node with \`kind load docker-image\`. The tags are
pinned (\`0.1.0\`) and the manifests say \`imagePullPolicy: IfNotPresent\`, so the node never tries
to pull them from a registry (where they do not exist).`,
      tasks: [buildImages, loadImagesTask],
    },
    {
      kind: 'action',
      title: 'Deploy the app and wait for it',
      body: `The manifests live in \`k8s/\`: a kustomize \`base\` and one overlay per cluster. Applying the
overlay is one command; waiting until every pod is Ready is what takes the time, and the runner
tells you what it is waiting for.`,
      tasks: [deployApp, waitForApp, storefrontAnswers],
    },
    {
      kind: 'text',
      title: 'Offline mode: what it does not show',
      body: OFFLINE_MODE,
    },
    {
      kind: 'action',
      title: 'Open the storefront',
      tasks: [
        {
          title: 'Open http://localhost:8080',
          run: (ctx) => Promise.resolve(ctx.mode === 'interactive' ? openInBrowser('http://localhost:8080') : 'http://localhost:8080 (not opened in CI)'),
        },
      ],
    },
    {
      kind: 'text',
      title: 'Look around',
      body: `Open http://localhost:8080. You should see the banner, the products with their stock, and
a **served by** badge with a pod name for each service.

Then ask the cluster what it is running:

\`\`\`sh
kubectl --context kind-ffk get deployments,pods,services
\`\`\`

(In offline mode: \`export KUBECONFIG=$PWD/.ffk/sim/kubeconfig\` first, then the same command with
\`--context ffk-sim\`.)

The pod names match the badges on the page: what you see in the browser comes from the cluster.
In the next lab you change the banner and measure how long that change takes to get there.`,
    },
  ],
  resetCluster: redeployApp,
});
