// The name teammates see comes from the API server, not from the kubeconfig or the OS.
import { readFileSync, writeFileSync } from 'node:fs';
import { type Sim, startSim } from '@ffk/kube-sim';
import { RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadKubeconfig } from '../kubeconfig/load';
import { whoAmI } from './who-am-i';

let sim: Sim;
let devKubeconfig: string;

beforeAll(async () => {
  sim = await startSim({ runtime: false, users: [{ name: 'dev' }] });
  // The kubeconfig's user entry may be named anything: it is a local label, not an identity.
  devKubeconfig = sim.kubeconfigFor('dev');
  writeFileSync(devKubeconfig, readFileSync(devKubeconfig, 'utf8').replace(/\bdev\b/g, 'the-boss'));
});
afterAll(() => sim?.stop());

it('asks the API server (SelfSubjectReview) who the user is', async () => {
  const dev = loadKubeconfig({ kubeconfig: devKubeconfig });
  expect(dev.target.user).toBe('the-boss');
  expect(await whoAmI(dev)).toEqual({ user: 'dev', source: 'SelfSubjectReview' });
  expect(await whoAmI(loadKubeconfig({ kubeconfig: sim.kubeconfigPath }))).toEqual({ user: 'kubernetes-admin', source: 'SelfSubjectReview' });
});

it('falls back to the kubeconfig user, and says so, when the server will not tell', async () => {
  const admin = loadKubeconfig({ kubeconfig: sim.kubeconfigPath });
  await admin.kc.makeApiClient(RbacAuthorizationV1Api).deleteClusterRoleBinding({ name: 'system:basic-user' });
  expect(await whoAmI(loadKubeconfig({ kubeconfig: devKubeconfig }))).toEqual({ user: 'the-boss', source: 'kubeconfig' });
});
