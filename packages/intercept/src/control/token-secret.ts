// The agent's token lives in a Secret next to the Deployment: the pod reads it through a
// secretKeyRef, the CLI reads it to authenticate the tunnel; the Deployment spec never shows it.
import { type ClusterAccess, friendly, isClusterError } from '@ffk/cluster';
import { CoreV1Api } from '@kubernetes/client-node';
import { generateToken } from '../tunnel/token';

export const secretName = (deployment: string) => `ffk-agent-${deployment}`;

export async function readToken(access: ClusterAccess, secret: string): Promise<string> {
  const { namespace } = access.target;
  const request = { verb: 'get', group: '', resource: 'secrets', namespace, name: secret };
  const found = await friendly({ target: access.target, request }, () => access.kc.makeApiClient(CoreV1Api).readNamespacedSecret({ name: secret, namespace }));
  return Buffer.from(found.data?.token ?? '', 'base64').toString('utf8');
}

/** The existing token, or a new Secret with a fresh one. */
export async function ensureToken(access: ClusterAccess, deployment: string): Promise<{ secret: string; token: string }> {
  const secret = secretName(deployment);
  try {
    const token = await readToken(access, secret);
    if (token) return { secret, token };
  } catch (error) {
    if (!isClusterError(error, 'not-found')) throw error;
  }
  const { namespace } = access.target;
  const token = generateToken();
  const request = { verb: 'create', group: '', resource: 'secrets', namespace };
  const created = friendly({ target: access.target, request }, () =>
    access.kc.makeApiClient(CoreV1Api).createNamespacedSecret({
      namespace,
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: secret, labels: { 'app.kubernetes.io/managed-by': 'ffk', 'ffk.dev/deployment': deployment } },
        type: 'Opaque',
        data: { token: Buffer.from(token).toString('base64') },
      },
    }),
  );
  try {
    await created;
  } catch (error) {
    // A teammate installing at the same moment created it first: share theirs.
    if (isClusterError(error, 'already-exists')) return { secret, token: await readToken(access, secret) };
    throw error;
  }
  return { secret, token };
}

export async function deleteTokenSecret(access: ClusterAccess, secret: string): Promise<void> {
  const { namespace } = access.target;
  const request = { verb: 'delete', group: '', resource: 'secrets', namespace, name: secret };
  try {
    await friendly({ target: access.target, request }, () => access.kc.makeApiClient(CoreV1Api).deleteNamespacedSecret({ name: secret, namespace }));
  } catch (error) {
    if (!isClusterError(error, 'not-found')) throw error;
  }
}
