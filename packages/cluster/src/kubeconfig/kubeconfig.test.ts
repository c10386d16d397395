import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyContext, describeDrift, guardContext, type KubeconfigDrift, loadKubeconfig, openSession, pinContext } from '../index';

const dir = mkdtempSync(join(tmpdir(), 'ffk-cluster-kubeconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
/** A kubeconfig file with one cluster+user+context per entry. */
function kubeconfig(contexts: Array<{ name: string; server: string; namespace?: string }>, current?: string): string {
  const file = join(dir, `config-${++fileCount}`);
  const yaml = [
    'apiVersion: v1',
    'kind: Config',
    `current-context: ${current ?? contexts[0]?.name ?? ''}`,
    'clusters:',
    ...contexts.map((c) => `- name: ${c.name}-cluster\n  cluster:\n    server: ${c.server}`),
    'users:',
    ...contexts.map((c) => `- name: ${c.name}-user\n  user:\n    token: t-${c.name}`),
    'contexts:',
    ...contexts.map(
      (c) => `- name: ${c.name}\n  context:\n    cluster: ${c.name}-cluster\n    user: ${c.name}-user${c.namespace ? `\n    namespace: ${c.namespace}` : ''}`,
    ),
  ].join('\n');
  writeFileSync(file, yaml + '\n');
  return file;
}

describe('context classification', () => {
  it.each([
    ['kind-ffk', 'https://127.0.0.1:40000'],
    ['kind-ffk', 'https://ffk-control-plane:6443'],
    ['kind-v6', 'https://[fc00:f853:ccd:e793::2]:6443'],
    ['ffk-sim', 'https://127.0.0.1:40001'],
    ['docker-desktop', 'https://kubernetes.docker.internal:6443'],
    ['minikube', 'https://192.168.49.2:8443'],
    ['k3d-dev', 'https://0.0.0.0:6550'],
    ['k3d-dev', 'https://host.docker.internal:6550'],
    ['rancher-desktop', 'https://127.0.0.1:6443'],
  ])('%s at %s is local: the name and the server agree', (context, server) => {
    expect(classifyContext({ context, server }).local).toBe(true);
  });

  it.each([
    ['arn:aws:eks:eu-west-1:123:cluster/prod', 'https://ABC.gr7.eu-west-1.eks.amazonaws.com', 'is not named like a local cluster'],
    ['gke_proj_europe-west1_main', 'https://34.76.10.20', 'is not named like a local cluster'],
    ['kindness', 'https://10.0.0.5:6443', 'is not named like a local cluster'],
    // A local-sounding name is not proof: the server must be on this machine too.
    [
      'kind-prod',
      'https://prod.example.com:6443',
      'is named like kind, but its server https://prod.example.com:6443 is not on loopback or on a local container network',
    ],
    ['k3d-prod', 'https://34.76.10.20', 'is named like k3d, but its server'],
    ['ffk-sim', 'https://10.0.0.5:6443', 'is named like the ffk simulator, but its server https://10.0.0.5:6443 is not on loopback'],
    ['ffk-sim', 'https://172.18.0.2:6443', 'is named like the ffk simulator'],
    // Nor is a loopback server alone: an SSH tunnel or kubectl proxy to production looks the same.
    ['my-laptop', 'https://127.0.0.1:6443', 'a server on loopback is not proof'],
    ['tunnel', 'https://localhost:8443', 'a server on loopback is not proof'],
    ['v6', 'https://[::1]:6443', 'a server on loopback is not proof'],
  ])('%s at %s is not local', (context, server, reason) => {
    const verdict = classifyContext({ context, server });
    expect(verdict.local).toBe(false);
    expect(verdict.reason).toContain(reason);
  });
});

describe('loading and guarding', () => {
  it('describes the target and refuses a remote context in one line that names the flag', () => {
    const file = kubeconfig([{ name: 'prod', server: 'https://34.76.10.20', namespace: 'shop' }]);
    const { target } = loadKubeconfig({ kubeconfig: file });
    expect(target).toEqual({ context: 'prod', cluster: 'prod-cluster', server: 'https://34.76.10.20', namespace: 'shop', user: 'prod-user' });
    expect(() => guardContext(target)).toThrow(
      'refusing to change context "prod" (https://34.76.10.20): it is not a local cluster: context "prod" is not named like a local cluster (kind-*, k3d-*, minikube, docker-desktop, rancher-desktop, ffk-sim); switch to a local context with --context, or pass --allow-remote-context if you mean it',
    );
    expect(guardContext(target, { allowRemote: true }).local).toBe(false);
    const kindProd = { ...target, context: 'kind-prod', server: 'https://prod.example.com:6443' };
    expect(() => guardContext(kindProd)).toThrow(
      'refusing to change context "kind-prod" (https://prod.example.com:6443): it is not a local cluster: context "kind-prod" is named like kind, but its server https://prod.example.com:6443 is not on loopback or on a local container network; switch to a local context with --context, or pass --allow-remote-context if you mean it',
    );
    // A session for changes is refused the same way; a read-only one (ffk list) may look.
    expect(() => openSession({ kubeconfig: file })).toThrow(/^refusing to change context "prod"/);
    expect(openSession({ kubeconfig: file, readOnly: true }).classification.local).toBe(false);
  });

  it('merges KUBECONFIG like kubectl: the first file sets current-context; --context and --namespace override', () => {
    const first = kubeconfig([{ name: 'kind-ffk', server: 'https://127.0.0.1:41000' }]);
    const second = kubeconfig([{ name: 'prod', server: 'https://34.76.10.20' }], 'prod');
    const env = { KUBECONFIG: `${first}:${join(dir, 'missing')}:${second}` };
    expect(loadKubeconfig({ env }).target.context).toBe('kind-ffk');
    const chosen = loadKubeconfig({ env, context: 'prod', namespace: 'team-a' });
    expect(chosen.target).toMatchObject({ context: 'prod', server: 'https://34.76.10.20', namespace: 'team-a' });
    // The KubeConfig handed to client-node carries the same choice.
    expect(chosen.kc.getCurrentContext()).toBe('prod');
    expect(chosen.kc.getContextObject('prod')?.namespace).toBe('team-a');
  });

  it('names the available contexts when --context is wrong, and says where to get a kubeconfig when there is none', () => {
    const file = kubeconfig([
      { name: 'kind-ffk', server: 'https://127.0.0.1:41000' },
      { name: 'ffk-sim', server: 'https://127.0.0.1:41001' },
    ]);
    expect(() => loadKubeconfig({ kubeconfig: file, context: 'kind-fk' })).toThrow(
      `context "kind-fk" is not in ${file}: pass --context with one of: kind-ffk, ffk-sim`,
    );
    expect(() => loadKubeconfig({ env: { HOME: join(dir, 'nohome') } })).toThrow(
      /^no kubeconfig at .*nohome\/\.kube\/config: set KUBECONFIG or pass --kubeconfig/,
    );
  });
});

describe('pinning a session', () => {
  it('reports kubectl switching the current-context and changing the pinned server, and when it is undone', async () => {
    const file = kubeconfig([
      { name: 'kind-ffk', server: 'https://127.0.0.1:42000' },
      { name: 'prod', server: 'https://34.76.10.20' },
    ]);
    const loaded = loadKubeconfig({ kubeconfig: file });
    const pin = pinContext(loaded);
    expect(pin.check()).toEqual([]);
    const seen: KubeconfigDrift[][] = [];
    const stop = pin.watch((drifts) => seen.push(drifts), { intervalMs: 50 });
    try {
      const kubectl = (...args: string[]) => execFileSync('kubectl', ['--kubeconfig', file, 'config', ...args], { stdio: 'pipe' });
      kubectl('use-context', 'prod');
      await expect.poll(() => seen.at(-1), { timeout: 5000 }).toEqual([{ kind: 'current-context-changed', from: 'kind-ffk', to: 'prod' }]);
      expect(describeDrift(seen[seen.length - 1][0], 'kind-ffk')).toBe(
        'kubeconfig changed under this session: current-context is now "prod" (was "kind-ffk"); this session stays on "kind-ffk": stop it and start again to use the new context',
      );
      kubectl('use-context', 'kind-ffk');
      await expect.poll(() => seen.at(-1), { timeout: 5000 }).toEqual([]);
      kubectl('set-cluster', 'kind-ffk-cluster', '--server=https://10.1.2.3:6443');
      await expect
        .poll(() => seen.at(-1), { timeout: 5000 })
        .toEqual([{ kind: 'server-changed', context: 'kind-ffk', from: 'https://127.0.0.1:42000', to: 'https://10.1.2.3:6443' }]);
      // The session's own KubeConfig did not move.
      expect(loaded.kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:42000');
      writeFileSync(file, 'not: [valid');
      await expect.poll(() => seen.at(-1)?.[0]?.kind, { timeout: 5000 }).toBe('unreadable');
    } finally {
      stop();
    }
  });
});
