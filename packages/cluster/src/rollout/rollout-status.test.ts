import { CoreV1Api, type V1ContainerState, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type LoadedKubeconfig, nameOf, waitForRollout } from '../index';
import { createDeployments, deployment, type SimCluster, startSimCluster } from '../testing/sim-cluster';

// The simulator's Deployment and ReplicaSet controllers run; the kubelet's part (pod status) is
// played here through the pods' status subresource, so every pod state the wait must explain
// can be produced exactly and at once.
let sim: SimCluster;
beforeAll(async () => {
  sim = await startSimCluster();
});
afterAll(() => sim?.stop());

async function podsOf(cluster: LoadedKubeconfig, app: string): Promise<V1Pod[]> {
  const list = await cluster.kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: cluster.target.namespace, labelSelector: `app=${app}` });
  return list.items.sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
}

/** Writes the status a kubelet would for a pod whose one container is in `state`. */
async function kubelet(cluster: LoadedKubeconfig, stale: V1Pod, state: V1ContainerState): Promise<void> {
  const ready = Boolean(state.running);
  const api = cluster.kc.makeApiClient(CoreV1Api);
  const { namespace } = cluster.target;
  const pod = await api.readNamespacedPod({ name: nameOf(stale), namespace });
  const container = pod.spec?.containers[0];
  if (!container) throw new Error(`pod ${nameOf(pod)} has no container`);
  await api.replaceNamespacedPodStatus({
    name: nameOf(pod),
    namespace,
    body: {
      ...pod,
      status: {
        phase: ready ? 'Running' : 'Pending',
        conditions: [
          { type: 'PodScheduled', status: 'True' },
          { type: 'Ready', status: ready ? 'True' : 'False' },
        ],
        containerStatuses: [{ name: container.name, image: container.image ?? '', imageID: '', ready, restartCount: 0, state }],
      },
    },
  });
}

const running: V1ContainerState = { running: { startedAt: new Date() } };

it('says which pod it waits for and why, and resolves once every pod is updated and available', async () => {
  const cluster = await sim.in('rollout-steps');
  await createDeployments(cluster, deployment('catalog', { replicas: 3 }));
  const messages: string[] = [];
  const done = waitForRollout(cluster, 'catalog', { onProgress: (p) => messages.push(p.message) });
  await expect.poll(async () => (await podsOf(cluster, 'catalog')).length).toBe(3);
  const [first, second, third] = await podsOf(cluster, 'catalog');
  await expect
    .poll(() => messages.at(-1))
    .toMatch(/^0 of 3 updated pods available; waiting for pod catalog-\S+ to become Ready: containers not started yet \(Pending\)$/);
  await kubelet(cluster, first, running);
  await kubelet(cluster, second, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container' } });
  await expect
    .poll(() => messages.at(-1))
    .toBe(`1 of 3 updated pods available; waiting for pod ${nameOf(second)} to become Ready: container catalog not ready (CrashLoopBackOff)`);
  await kubelet(cluster, second, running);
  await kubelet(cluster, third, running);
  const result = await done;
  expect(result.counts).toEqual({ desired: 3, updated: 3, ready: 3, available: 3, old: 0 });
  expect(messages.length).toBeGreaterThanOrEqual(3);
});

it('gives up after the timeout, saying what it was still waiting for', async () => {
  const cluster = await sim.in('rollout-timeout');
  await createDeployments(cluster, deployment('web'));
  await expect(waitForRollout(cluster, 'web', { timeoutMs: 1000 })).rejects.toThrow(
    /^rollout of deployment "web" did not finish in 1s; still waiting: 0 of 1 updated pods available; waiting for pod web-\S+ to become Ready: containers not started yet \(Pending\)$/,
  );
});
