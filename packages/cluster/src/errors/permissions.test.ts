// checkPermissions and the forbidden error against a real authorizer: kube-sim with a user who is
// not the admin and holds only what a Role grants it.
import { type Sim, startSim } from '@ffk/kube-sim';
import { AppsV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkPermissions } from '../index';
import { type LoadedKubeconfig, loadKubeconfig } from '../kubeconfig/load';
import { friendly } from './friendly';

const RBAC = 'rbac.authorization.k8s.io';
let sim: Sim;
let admin: LoadedKubeconfig;
let dev: LoadedKubeconfig;

beforeAll(async () => {
  sim = await startSim({ runtime: false, users: [{ name: 'dev' }] });
  admin = loadKubeconfig({ kubeconfig: sim.kubeconfigPath });
  dev = loadKubeconfig({ kubeconfig: sim.kubeconfigFor('dev') });
  const rbac = admin.kc.makeApiClient(RbacAuthorizationV1Api);
  await rbac.createNamespacedRole({
    namespace: 'default',
    body: {
      metadata: { name: 'intercept-lite' },
      rules: [
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['pods/portforward'], verbs: ['get', 'create'] },
      ],
    },
  });
  await rbac.createNamespacedRoleBinding({
    namespace: 'default',
    body: {
      metadata: { name: 'dev' },
      roleRef: { apiGroup: RBAC, kind: 'Role', name: 'intercept-lite' },
      subjects: [{ apiGroup: RBAC, kind: 'User', name: 'dev' }],
    },
  });
});
afterAll(() => sim?.stop());

it('says which permissions the user lacks, asking the API server as `kubectl auth can-i` does', async () => {
  const checks = await checkPermissions(dev, [
    { verb: 'get', group: 'apps', resource: 'deployments', namespace: 'default' },
    { verb: 'patch', group: 'apps', resource: 'deployments', namespace: 'default' },
    { verb: 'create', group: '', resource: 'pods/portforward', namespace: 'default' },
    { verb: 'create', group: '', resource: 'pods/portforward', namespace: 'kube-system' },
  ]);
  expect(checks.map((c) => c.allowed)).toEqual([true, false, true, false]);
  expect(checks[0].reason).toBe('RBAC: allowed by RoleBinding "dev/default" of Role "intercept-lite" to User "dev"');
  expect(checks[1].reason).toBeUndefined();
  // The admin (system:masters) may do everything.
  expect((await checkPermissions(admin, [{ verb: 'patch', group: 'apps', resource: 'deployments', namespace: 'default' }]))[0].allowed).toBe(true);
});

it('turns a real 403 into one line that names the missing permission and the user', async () => {
  const apps = dev.kc.makeApiClient(AppsV1Api);
  const request = { verb: 'patch', group: 'apps', resource: 'deployments', namespace: 'default', name: 'catalog' };
  const error = await friendly({ target: dev.target, request }, () =>
    apps.patchNamespacedDeployment({ name: 'catalog', namespace: 'default', body: [{ op: 'add', path: '/metadata/labels', value: {} }] }),
  ).catch((failure: { kind: string; message: string }) => failure);
  expect(error).toHaveProperty('kind', 'forbidden');
  expect((error as Error).message).toBe(
    'forbidden: user "dev" may not patch deployments.apps in namespace "default": ask a cluster admin to grant it (context "ffk-sim")',
  );
});
