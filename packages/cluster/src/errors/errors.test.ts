import { copyFileSync } from 'node:fs';
import { AppsV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterError, friendly, loadKubeconfig, readDeployment } from '../index';
import { createDeployments, deployment, type SimCluster, startSimCluster } from '../testing/sim-cluster';

let sim: SimCluster;
beforeAll(async () => {
  sim = await startSimCluster();
});
afterAll(() => sim?.stop());

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('it should fail'),
    (e: ClusterError) => e,
  );

describe('deployment not found', () => {
  it('suggests the closest names that exist in the namespace', async () => {
    const cluster = await sim.in('shop');
    await createDeployments(cluster, deployment('catalog'), deployment('inventory'), deployment('web'));
    const error = await failure(readDeployment(cluster, 'catalgo'));
    expect(error.kind).toBe('not-found');
    expect(error.message).toBe('deployment "catalgo" not found in namespace "shop" (context "ffk-sim"): did you mean "catalog"?');
    expect((await failure(readDeployment(cluster, 'payments'))).message).toBe(
      'deployment "payments" not found in namespace "shop" (context "ffk-sim"): Deployments there: catalog, inventory, web',
    );
  });

  it('says the namespace is empty when it is', async () => {
    const cluster = await sim.in('empty');
    expect((await failure(readDeployment(cluster, 'catalog'))).message).toBe(
      'deployment "catalog" not found in namespace "empty" (context "ffk-sim"): there are no Deployments in "empty": pick the namespace with --namespace',
    );
  });
});

it('401: names the user and the server whose credentials were rejected', async () => {
  const wrongToken = `${sim.kubeconfigPath}.wrong-token`;
  copyFileSync(sim.kubeconfigPath, wrongToken);
  await sim.kubectl('--kubeconfig', wrongToken, 'config', 'set-credentials', 'ffk-sim', '--token=not-the-token');
  const cluster = loadKubeconfig({ kubeconfig: wrongToken });
  const error = await failure(readDeployment(cluster, 'catalog'));
  expect(error.kind).toBe('unauthorized');
  expect(error.message).toBe(
    `the API server at ${cluster.target.server} rejected the credentials of user "${cluster.target.user}" (401 Unauthorized): log in again or refresh the token in the kubeconfig (context "ffk-sim")`,
  );
});

it('409: a stale update and a duplicate create each get their own line', async () => {
  const cluster = await sim.in('conflicts');
  await createDeployments(cluster, deployment('catalog'));
  const api = cluster.kc.makeApiClient(AppsV1Api);
  const namespace = 'conflicts';
  const stale = await api.readNamespacedDeployment({ name: 'catalog', namespace });
  await api.patchNamespacedDeployment({ name: 'catalog', namespace, body: [{ op: 'add', path: '/metadata/labels/touched', value: 'yes' }] });
  const context = { target: cluster.target, request: { verb: 'update', group: 'apps', resource: 'deployments', namespace, name: 'catalog' } };
  const conflict = await failure(friendly(context, () => api.replaceNamespacedDeployment({ name: 'catalog', namespace, body: stale })));
  expect(conflict).toMatchObject({
    kind: 'conflict',
    message: 'deployment "catalog" was changed by someone else at the same time (409 Conflict): run the command again',
  });
  const duplicate = await failure(friendly(context, () => api.createNamespacedDeployment({ namespace, body: deployment('catalog') })));
  expect(duplicate).toMatchObject({
    kind: 'already-exists',
    message: 'deployment "catalog" already exists in namespace "conflicts": pick another name or delete it first',
  });
});
