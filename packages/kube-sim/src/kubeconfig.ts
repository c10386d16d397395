// The kubeconfig a simulator writes: one cluster, user and context, named after the context (the
// user entry after the user, for the extra users' kubeconfigs).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export function writeKubeconfig(path: string, options: { context: string; server: string; token: string; caPem: string; user?: string }): void {
  const { context, server, token, caPem } = options;
  const user = options.user ?? context;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: context, cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: context, context: { cluster: context, user, namespace: 'default' } }],
    'current-context': context,
    preferences: {},
  };
  writeFileSync(path, stringify(config), { mode: 0o600 });
}

/** Where `sim.kubeconfigFor(user)` writes a user's kubeconfig: `<stateDir>/kubeconfig-<user>`. */
export function userKubeconfigPath(stateDir: string, user: string): string {
  return join(stateDir, `kubeconfig-${user.replace(/[^A-Za-z0-9._-]/g, '_')}`);
}
