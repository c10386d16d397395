// The shipped Role (k8s/rbac/ffk-intercept-role.yaml), applied to kube-sim and bound to a
// developer who is not the admin: it grants what ffk needs and no Secret but the agents' own.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Sim, startSim } from '@ffk/kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const role = fileURLToPath(new URL('../../k8s/rbac/ffk-intercept-role.yaml', import.meta.url));

describe('the ffk-intercept Role', () => {
  let sim: Sim;
  let dev: string;
  const kubectl = (kubeconfig: string, ...args: string[]) =>
    run('kubectl', ['--kubeconfig', kubeconfig, ...args]).then(
      (r) => r.stdout.trim(),
      (e: { stdout: string }) => e.stdout.trim(),
    );
  const canI = (...args: string[]) => kubectl(dev, 'auth', 'can-i', ...args);

  beforeAll(async () => {
    sim = await startSim({ runtime: false, users: [{ name: 'dev' }] });
    dev = sim.kubeconfigFor('dev');
    await run('kubectl', ['--kubeconfig', sim.kubeconfigPath, 'apply', '-f', role]);
    await run('kubectl', ['--kubeconfig', sim.kubeconfigPath, 'create', 'rolebinding', 'ffk-intercept-dev', '--role=ffk-intercept', '--user=dev']);
  });
  afterAll(() => sim?.stop());

  it("reads and deletes only the agents' token Secrets, and may create one", async () => {
    expect(await canI('get', 'secret/ffk-agent-catalog')).toBe('yes');
    expect(await canI('delete', 'secret/ffk-agent-catalog')).toBe('yes');
    expect(await canI('create', 'secrets')).toBe('yes');
    expect(await canI('get', 'secret/postgres')).toBe('no');
    expect(await canI('delete', 'secret/postgres')).toBe('no');
    expect(await canI('list', 'secrets')).toBe('no');
  });

  it('still grants what install, intercept and restore need', async () => {
    const needed = [
      ['patch', 'deployments.apps'],
      ['watch', 'deployments.apps'],
      ['list', 'replicasets.apps'],
      ['create', 'pods', '--subresource=portforward'],
      ['get', 'pods', '--subresource=log'],
      ['patch', 'services'],
      ['create', 'selfsubjectreviews.authentication.k8s.io'],
    ];
    for (const check of needed) expect(`${check.join(' ')}: ${await canI(...check)}`).toBe(`${check.join(' ')}: yes`);
  });
});
