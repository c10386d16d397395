import { AppsV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ClusterError, waitForRollout } from '../index';
import { createDeployments, deployment, type SimCluster, startSimCluster } from '../testing/sim-cluster';

// Pods run as processes here (testing/tcp-pod.ts as image ffk/tcp-pod): real rollouts.
let sim: SimCluster;
beforeAll(async () => {
  sim = await startSimCluster({ runtime: true });
});
afterAll(() => sim?.stop());

it('follows a real rollout and a rolling update to the end, saying what it waits for', async () => {
  const cluster = await sim.in('rollout-real');
  await createDeployments(cluster, deployment('tcp', { image: 'ffk/tcp-pod:1', replicas: 2 }));
  const first: string[] = [];
  const created = await waitForRollout(cluster, 'tcp', { onProgress: (p) => first.push(p.message) });
  expect(created.counts).toMatchObject({ desired: 2, updated: 2, available: 2 });
  expect(first.some((m) => /waiting for pod tcp-\S+ to become Ready/.test(m))).toBe(true);

  await cluster.kc.makeApiClient(AppsV1Api).patchNamespacedDeployment({
    name: 'tcp',
    namespace: 'rollout-real',
    body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'ffk/tcp-pod:2' }],
  });
  const update: string[] = [];
  const updated = await waitForRollout(cluster, 'tcp', { onProgress: (p) => update.push(p.message) });
  expect(updated.counts).toEqual({ desired: 2, updated: 2, ready: 2, available: 2, old: 0 });
  expect(update.some((m) => /^\d of 2 pods updated|old pods? pending termination|updated pods available/.test(m))).toBe(true);
});

it('fails fast on an image the cluster cannot pull, naming it', async () => {
  const cluster = await sim.in('rollout-pull');
  await createDeployments(cluster, deployment('catalog', { image: 'ghcr.io/acme/unmapped:1' }));
  const error = (await waitForRollout(cluster, 'catalog', { stuckAfterMs: 1000 }).catch((e: unknown) => e)) as ClusterError;
  expect(error).toMatchObject({ kind: 'rollout-stuck', details: { image: 'ghcr.io/acme/unmapped:1' } });
  expect(error.message).toMatch(
    /^rollout of deployment "catalog" is stuck: pod catalog-\S+ container catalog not ready \((ErrImagePull|ImagePullBackOff)\): cannot pull image "ghcr.io\/acme\/unmapped:1"; check the image name and tag; on kind, build it and run `kind load docker-image ghcr.io\/acme\/unmapped:1`$/,
  );
});

it("fails a crash-looping rollout with the container's last log line", async () => {
  const cluster = await sim.in('rollout-crash');
  await createDeployments(cluster, deployment('catalog', { image: 'ffk/tcp-pod:1', env: { CRASH: 'DATABASE_URL is not set' } }));
  const error = (await waitForRollout(cluster, 'catalog', { stuckAfterMs: 1000 }).catch((e: unknown) => e)) as ClusterError;
  expect(error.kind).toBe('rollout-stuck');
  expect(error.details.logs).toEqual(['starting', 'DATABASE_URL is not set']);
  expect(error.message).toMatch(
    /^rollout of deployment "catalog" is stuck: pod (catalog-\S+) container catalog not ready \(CrashLoopBackOff\): .*; its last log line: DATABASE_URL is not set; see `kubectl logs \1 -c catalog --previous`$/,
  );
});

it('reports Kubernetes giving up (ProgressDeadlineExceeded) with the pod that held the rollout up', async () => {
  const cluster = await sim.in('rollout-deadline');
  await createDeployments(cluster, deployment('catalog', { image: 'ghcr.io/acme/unmapped:1', progressDeadlineSeconds: 1 }));
  const error = (await waitForRollout(cluster, 'catalog', { stuckAfterMs: 60_000 }).catch((e: unknown) => e)) as ClusterError;
  expect(error.kind).toBe('rollout-failed');
  expect(error.message).toMatch(
    /^rollout of deployment "catalog" exceeded its progress deadline \(1s\); waiting for pod catalog-\S+ to become Ready: container catalog not ready \((ErrImagePull|ImagePullBackOff)\): cannot pull image "ghcr.io\/acme\/unmapped:1"$/,
  );
});
