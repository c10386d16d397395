// The kubeconfig a simulator writes: one cluster, user and context, all named after the context.
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export function writeKubeconfig(path: string, options: { context: string; server: string; token: string; caPem: string }): void {
  const { context, server, token, caPem } = options;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: context, cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name: context, user: { token } }],
    contexts: [{ name: context, context: { cluster: context, user: context, namespace: 'default' } }],
    'current-context': context,
    preferences: {},
  };
  writeFileSync(path, stringify(config), { mode: 0o600 });
}
