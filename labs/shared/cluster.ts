// Which cluster a lab talks to, and the tasks that bring it to the state every lab starts from
// (cluster up, images built and loaded, app deployed, rollouts done, storefront answering).
// Lab 1 shows these tasks as its steps; every other lab runs them as its `prepare`, so any lab
// can be started first; each one is idempotent and says what it found or did.
import { join } from 'node:path';
import { isClusterError, openSession, waitForRollout } from '@ffk/cluster';
import { APP_IMAGES, type AppImage, buildImage as buildWithKit, IMAGE_TAG, stepPrinter } from '@ffk/images';
import { DEFAULT_AGENT_IMAGE } from '@ffk/intercept/agent-image';
import type { ActionTask, Backend, LabContext } from '@ffk/labs';
import { simulatorHoldingPort, stopSimulatorAdvice } from '@ffk/process-kit';
import { STOREFRONT_URL, viewStorefront } from './storefront';

export const KIND_CLUSTER = 'ffk';
/** The app's Deployments, in the order they become ready (the APIs need PostgreSQL). */
export const DEPLOYMENTS = ['postgres', 'inventory', 'catalog', 'web'] as const;
/** What the image build makes and `kind load` ships: the three services (@ffk/images). */
export const IMAGES = APP_IMAGES;
export { IMAGE_TAG };

export interface ClusterTarget {
  backend: Backend;
  context: string;
  /** The kubeconfig file for kube-sim; kind's context lives in the default kubeconfig. */
  kubeconfig?: string;
  overlay: string;
  /** Environment for kubectl and ffk: KUBECONFIG points at the simulator's in offline mode. */
  env: NodeJS.ProcessEnv;
}

export function simDir(repoRoot: string): string {
  return process.env.FFK_SIM_DIR ?? join(repoRoot, '.ffk', 'sim');
}

export async function clusterTarget(ctx: LabContext): Promise<ClusterTarget> {
  const backend = await ctx.backend();
  if (backend === 'kind') return { backend, context: `kind-${KIND_CLUSTER}`, overlay: 'k8s/overlays/kind', env: process.env };
  const kubeconfig = join(simDir(ctx.repoRoot), 'kubeconfig');
  return { backend, context: 'ffk-sim', kubeconfig, overlay: 'k8s/overlays/sim', env: { ...process.env, KUBECONFIG: kubeconfig } };
}

/** kubectl pinned to the lab's context, whatever the learner's current context is. */
export async function kubectl(ctx: LabContext, args: string[]): Promise<string> {
  const target = await clusterTarget(ctx);
  return (await ctx.$({ env: target.env })`kubectl --context ${target.context} ${args}`).stdout;
}

/** `ffk …` from this checkout (the same code `npm run ffk` runs), against the lab's cluster. */
export async function ffk(ctx: LabContext, args: string[]): Promise<string> {
  const target = await clusterTarget(ctx);
  return (await ctx.$({ env: target.env })`node packages/cli/bin/ffk.mjs ${args}`).stdout;
}

/** Waits for a Deployment's rollout with @ffk/cluster, logging what it waits for (and why a pod is stuck). */
export async function rollout(ctx: LabContext, name: string): Promise<number> {
  const target = await clusterTarget(ctx);
  const session = openSession({ context: target.context, env: target.env, ...(target.kubeconfig ? { kubeconfig: target.kubeconfig } : {}) });
  let said = '';
  const wait = () =>
    waitForRollout(session, name, {
      signal: ctx.signal,
      onProgress: (progress) => {
        if (progress.message !== said) ctx.log(`${name}: ${(said = progress.message)}`);
      },
    });
  for (let attempt = 1; ; attempt++) {
    try {
      return (await wait()).ms;
    } catch (error) {
      // waitForRollout can judge before its Deployment informer has listed (a pod event comes
      // first) and then says the Deployment "was deleted"; ask again when it still exists.
      if (attempt >= 3 || !isClusterError(error) || error.kind !== 'not-found' || !(await deploymentExists(ctx, name))) throw error;
    }
  }
}

async function deploymentExists(ctx: LabContext, name: string): Promise<boolean> {
  return (await kubectl(ctx, ['get', 'deployment', name, '--ignore-not-found', '-o', 'name'])).trim() !== '';
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await fn();
  return [result, performance.now() - started];
}

export const startCluster: ActionTask = {
  title: 'Start the cluster',
  run: async (ctx) => {
    if ((await clusterTarget(ctx)).backend === 'sim') {
      const said = await ffk(ctx, ['sim', 'start', '--detach']);
      return said.split('\n')[0].trim();
    }
    const clusters = (await ctx.$`kind get clusters`).stdout.split('\n').map((line) => line.trim());
    if (clusters.includes(KIND_CLUSTER)) return `kind cluster "${KIND_CLUSTER}" is already up`;
    // kind maps the storefront to host port 8080; an offline run's simulator may still hold it.
    const simulator = simulatorHoldingPort(8080, ctx.repoRoot);
    if (simulator) throw new Error(`port 8080, where kind maps the storefront, is in use: ${stopSimulatorAdvice(simulator.pid)}`);
    ctx.log('kind create cluster --config k8s/kind/cluster.yaml (about a minute the first time: it pulls the node image)');
    await ctx.$`kind create cluster --config k8s/kind/cluster.yaml`;
    return `created kind cluster "${KIND_CLUSTER}" (context kind-${KIND_CLUSTER})`;
  },
};

/**
 * One image at a tag, through the kit's build path (@ffk/images: a client with BuildKit, the
 * host's CA bundle for npm, the Node base pulled or stood in for), with its steps as progress.
 */
export async function buildImage(ctx: LabContext, image: AppImage, tag: string): Promise<string> {
  const ref = `${image.image}:${tag}`;
  const built = await buildWithKit({
    repoRoot: ctx.repoRoot,
    dockerfile: image.dockerfile,
    tag: ref,
    onLine: stepPrinter((line) => ctx.log(line), ''),
    signal: ctx.signal,
  });
  ctx.log(`${ref} built in ${seconds(built.ms)} (${built.steps.ran} steps ran, ${built.steps.cached} from the layer cache)`);
  return ref;
}

export async function loadImages(ctx: LabContext, refs: string[]): Promise<void> {
  const [, ms] = await timed(() => ctx.$`kind load docker-image --name ${KIND_CLUSTER} ${refs}`);
  ctx.log(`${refs.join(', ')} loaded into the node in ${seconds(ms)}`);
}

export const buildImages: ActionTask = {
  title: `Build the images (${IMAGES.map((i) => i.image).join(', ')}) at tag ${IMAGE_TAG}`,
  // kind loads them; kube-sim runs its pods from them when they are on the local engine.
  needs: ['docker'],
  run: async (ctx) => {
    for (const image of IMAGES) await buildImage(ctx, image, IMAGE_TAG);
    return `${IMAGES.length} images (a rebuild with nothing changed is all cache hits)`;
  },
};

export const loadImagesTask: ActionTask = {
  title: `Load the images into the kind node, with their Node base image (${DEFAULT_AGENT_IMAGE}), on which the intercept agent runs`,
  needs: ['docker', 'kind'],
  run: async (ctx) => {
    // The base is on this machine once the apps are built; the agent's code comes from ffk in a ConfigMap.
    await loadImages(ctx, [...IMAGES.map((i) => `${i.image}:${IMAGE_TAG}`), DEFAULT_AGENT_IMAGE]);
    return 'no registry involved: the node has them now';
  },
};

export const deployApp: ActionTask = {
  title: 'Deploy the app with kustomize',
  run: async (ctx) => {
    const { overlay } = await clusterTarget(ctx);
    // Deployed already: leave it as it is. Applying again would undo what a lab changed on
    // purpose (a new catalog image, an intercept agent's port names); lab:reset re-applies.
    const existing = (await kubectl(ctx, ['get', 'deployments', '-o', 'name'])).split('\n').map((line) => line.replace('deployment.apps/', '').trim());
    if (DEPLOYMENTS.every((name) => existing.includes(name)))
      return `already deployed (${DEPLOYMENTS.join(', ')}); \`npm run lab:reset -- N\` re-applies ${overlay}`;
    const said = await kubectl(ctx, ['apply', '-k', overlay]);
    const lines = said.trim().split('\n').filter(Boolean);
    const count = (word: string) => lines.filter((line) => line.endsWith(` ${word}`)).length;
    return `kubectl apply -k ${overlay}: ${lines.length} objects (${count('created')} created, ${count('configured')} configured, ${count('unchanged')} unchanged)`;
  },
};

export const waitForApp: ActionTask = {
  title: 'Wait for every rollout',
  run: async (ctx) => {
    for (const name of DEPLOYMENTS) await rollout(ctx, name);
    return `${DEPLOYMENTS.join(', ')} ready`;
  },
};

export const storefrontAnswers: ActionTask = {
  title: `The storefront answers on ${STOREFRONT_URL.replace('127.0.0.1', 'localhost')}`,
  run: async () => {
    const view = await viewStorefront();
    if (view.products === 0) throw new Error(`the storefront shows no products (catalog served by ${view.servedBy.products ?? 'nobody'})`);
    return `"${view.banner}", ${view.products} products, catalog served by ${view.servedBy.banner}`;
  },
};

/** Every lab's `prepare`: the cluster as lab 1 leaves it. */
export const clusterUp: ActionTask[] = [startCluster, buildImages, loadImagesTask, deployApp, waitForApp, storefrontAnswers];
