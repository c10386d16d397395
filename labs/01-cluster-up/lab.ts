// Lab 1 (draft): the words are final-ish; the action steps that create the kind cluster, build and
// load the images and deploy the overlay come with @ffk/cluster and the ffk CLI.
import { defineLab } from '@ffk/labs';

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
      title: 'What the runner does for you',
      body: `The slow parts are automated, and each one shows its progress and how long it took:

1. Create the kind cluster \`ffk\` from \`k8s/kind/cluster.yaml\` (if it is not there yet).
2. Build the images of \`web\`, \`catalog\`, \`inventory\` and the intercept agent, with pinned tags.
3. Load them into the cluster's node, so nothing is pulled from a registry.
4. Deploy the app with \`kubectl apply -k k8s/overlays/kind\` and wait until every rollout is ready.
5. Forward the storefront to http://localhost:8080.

No Docker engine on this machine? Then the lab runs on **kube-sim**, a Kubernetes API simulator
that runs each pod as a local process. Everything you do with \`kubectl\` works the same; what you
do not get is real images, a real node and a real cluster network. \`npm run doctor\` tells you
which mode you are in and what to install for the other one.`,
    },
    {
      kind: 'text',
      title: 'Look around',
      body: `Open http://localhost:8080. You should see the banner, the products with their stock, and
a **served by** badge with a pod name for each service.

Then ask the cluster what it is running:

\`\`\`sh
kubectl get deployments,pods,services
\`\`\`

The pod names match the badges on the page: what you see in the browser comes from the cluster.
In the next lab you change the banner and measure how long that change takes to get there.`,
    },
  ],
});
