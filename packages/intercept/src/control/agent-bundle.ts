// The agent runs on the stock Node image the apps are built on; its code comes from the CLI that
// installs it, in a ConfigMap mounted into the sidecar. So there is no agent image to build, load
// or push, and the agent's version is the CLI's.
import { createHash } from 'node:crypto';
import { type ClusterAccess, friendly, isClusterError } from '@ffk/cluster';
import { CoreV1Api, type V1ConfigMap } from '@kubernetes/client-node';
import packageJson from '../../package.json' with { type: 'json' };
import { AGENT_BUNDLE_KEY } from './agent-image';

export { AGENT_BUNDLE_KEY, AGENT_MOUNT_PATH, AGENT_VOLUME, DEFAULT_AGENT_IMAGE } from './agent-image';
export const bundleConfigMapName = (deployment: string) => `ffk-agent-${deployment}`;

export interface AgentBundle {
  /** `<@ffk/intercept version>+<first 10 hex of the bundle's SHA-256>`: any change of the code changes it */
  version: string;
  code: string;
}

// Set by the CLI's build (esbuild `define`) to the finished bundle; from sources it is built here.
declare const FFK_AGENT_BUNDLE: string | undefined;

let current: Promise<AgentBundle> | undefined;

/** The bundle this CLI installs (built once per process when running from sources). */
export function currentAgentBundle(): Promise<AgentBundle> {
  current ??= (async () => {
    const code = typeof FFK_AGENT_BUNDLE === 'string' ? FFK_AGENT_BUNDLE : await (await import('../agent/bundle')).buildAgentBundle();
    return { code, version: bundleVersion(code) };
  })();
  return current;
}

export function bundleVersion(code: string, release = packageJson.version): string {
  return `${release}+${createHash('sha256').update(code).digest('hex').slice(0, 10)}`;
}

/**
 * Whether an agent of version `installed` should be replaced by `wanted`: when it is older, or
 * the same release built from other code; a newer agent (a teammate's newer CLI) is kept.
 */
export function needsUpgrade(installed: string | undefined, wanted: string): boolean {
  if (!installed) return true; // installed before agents carried a version (their own image)
  if (installed === wanted) return false;
  const [a, b] = [installed, wanted].map((v) =>
    v
      .split('+')[0]
      .split('.')
      .map((n) => Number.parseInt(n, 10) || 0),
  );
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] ?? 0) < (b[i] ?? 0);
  return true;
}

/** Creates the ConfigMap or replaces its bundle. */
export async function writeBundleConfigMap(access: ClusterAccess, deployment: string, bundle: AgentBundle): Promise<string> {
  const name = bundleConfigMapName(deployment);
  const { namespace } = access.target;
  const api = access.kc.makeApiClient(CoreV1Api);
  const body: V1ConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      labels: { 'app.kubernetes.io/managed-by': 'ffk', 'ffk.dev/deployment': deployment },
      annotations: { 'ffk.dev/agent-version': bundle.version },
    },
    data: { [AGENT_BUNDLE_KEY]: bundle.code },
  };
  try {
    await friendly({ target: access.target, request: { verb: 'create', group: '', resource: 'configmaps', namespace } }, () =>
      api.createNamespacedConfigMap({ namespace, body }),
    );
  } catch (error) {
    if (!isClusterError(error, 'already-exists')) throw error;
    await friendly({ target: access.target, request: { verb: 'update', group: '', resource: 'configmaps', namespace, name } }, () =>
      api.replaceNamespacedConfigMap({ name, namespace, body }),
    );
  }
  return name;
}

export async function deleteBundleConfigMap(access: ClusterAccess, name: string): Promise<void> {
  const { namespace } = access.target;
  try {
    await friendly({ target: access.target, request: { verb: 'delete', group: '', resource: 'configmaps', namespace, name } }, () =>
      access.kc.makeApiClient(CoreV1Api).deleteNamespacedConfigMap({ name, namespace }),
    );
  } catch (error) {
    if (!isClusterError(error, 'not-found')) throw error;
  }
}
