// The app container's environment as the kubelet would build it, resolved through the API:
// envFrom first (later sources win), then env (wins over envFrom), $(VAR) expanded as Kubernetes
// does. Values that only make sense inside one pod (its name, IP, node) are left out on purpose:
// the local process is not that pod, and its x-ffk-served-by must say "local".
import { type ClusterAccess, ClusterError, friendly, isClusterError } from '@ffk/cluster';
import { CoreV1Api, type V1ConfigMap, type V1Deployment, type V1Secret } from '@kubernetes/client-node';

export interface ImportedEnv {
  env: Record<string, string>;
  /** variables deliberately not imported, and why */
  skipped: { name: string; reason: string }[];
}

const POD_SPECIFIC = new Set(['metadata.name', 'metadata.uid', 'status.podIP', 'status.podIPs', 'status.hostIP', 'status.hostIPs', 'spec.nodeName']);
// C_IDENTIFIER-ish, what the kubelet accepts from envFrom keys (since 1.x it allows more; this is the portable subset).
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export async function importContainerEnv(access: ClusterAccess, deployment: V1Deployment, containerName: string): Promise<ImportedEnv> {
  const container = deployment.spec?.template.spec?.containers.find((c) => c.name === containerName);
  if (!container) throw new ClusterError('not-found', `deployment "${deployment.metadata?.name}" has no container "${containerName}"`);
  const sources = new Sources(access, `container ${containerName} of deployment ${deployment.metadata?.name}`);
  const env: Record<string, string> = {};
  const skipped: ImportedEnv['skipped'] = [];

  for (const from of container.envFrom ?? []) {
    const data = from.configMapRef
      ? await sources.configMap(from.configMapRef.name ?? '', from.configMapRef.optional)
      : from.secretRef
        ? await sources.secret(from.secretRef.name ?? '', from.secretRef.optional)
        : undefined;
    for (const [key, value] of Object.entries(data ?? {})) {
      const name = `${from.prefix ?? ''}${key}`;
      if (ENV_NAME.test(name)) env[name] = value;
      else skipped.push({ name, reason: 'not a valid environment variable name' });
    }
  }
  for (const variable of container.env ?? []) {
    const source = variable.valueFrom;
    if (!source) {
      env[variable.name] = expand(variable.value ?? '', env);
    } else if (source.configMapKeyRef) {
      const { name = '', key, optional } = source.configMapKeyRef;
      const value = (await sources.configMap(name, optional))?.[key];
      if (value !== undefined) env[variable.name] = value;
      else if (!optional) throw sources.missingKey('configmap', name, key, variable.name);
    } else if (source.secretKeyRef) {
      const { name = '', key, optional } = source.secretKeyRef;
      const value = (await sources.secret(name, optional))?.[key];
      if (value !== undefined) env[variable.name] = value;
      else if (!optional) throw sources.missingKey('secret', name, key, variable.name);
    } else if (source.fieldRef) {
      const value = fieldValue(source.fieldRef.fieldPath, deployment, access.target.namespace);
      if (value === undefined) skipped.push({ name: variable.name, reason: `${source.fieldRef.fieldPath} belongs to one pod, not to your machine` });
      else env[variable.name] = value;
    } else {
      skipped.push({ name: variable.name, reason: 'resourceFieldRef (container limits) has no meaning outside the pod' });
    }
  }
  return { env, skipped };
}

function fieldValue(path: string, deployment: V1Deployment, namespace: string): string | undefined {
  if (POD_SPECIFIC.has(path)) return undefined;
  if (path === 'metadata.namespace') return namespace;
  if (path === 'spec.serviceAccountName') return deployment.spec?.template.spec?.serviceAccountName ?? 'default';
  const labelOrAnnotation = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (labelOrAnnotation) {
    const map = deployment.spec?.template.metadata?.[labelOrAnnotation[1] as 'labels' | 'annotations'] ?? {};
    return map[labelOrAnnotation[2]] ?? '';
  }
  return undefined;
}

/** Kubernetes' $(VAR) expansion: defined variables are substituted, $$ escapes, unknown ones stay. */
export function expand(value: string, env: Record<string, string>): string {
  return value.replace(/\$\$|\$\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)/g, (match, name: string | undefined) => {
    if (match === '$$') return '$';
    return name !== undefined && name in env ? env[name] : match;
  });
}

/** ConfigMaps and Secrets read once each, with one-line errors naming the referencing variable's container. */
class Sources {
  private readonly cache = new Map<string, Promise<Record<string, string> | undefined>>();
  constructor(
    private readonly access: ClusterAccess,
    private readonly who: string,
  ) {}

  configMap(name: string, optional?: boolean) {
    return this.read('configmaps', name, optional, async (api, namespace) => {
      const found: V1ConfigMap = await api.readNamespacedConfigMap({ name, namespace });
      return { ...found.data, ...Object.fromEntries(Object.entries(found.binaryData ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')])) };
    });
  }

  secret(name: string, optional?: boolean) {
    return this.read('secrets', name, optional, async (api, namespace) => {
      const found: V1Secret = await api.readNamespacedSecret({ name, namespace });
      return Object.fromEntries(Object.entries(found.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    });
  }

  missingKey(kind: string, name: string, key: string, variable: string): ClusterError {
    return new ClusterError(
      'not-found',
      `${kind} "${name}" has no key "${key}" (${variable} of ${this.who} needs it): add the key or mark the reference optional`,
    );
  }

  private read(resource: string, name: string, optional: boolean | undefined, get: (api: CoreV1Api, namespace: string) => Promise<Record<string, string>>) {
    const key = `${resource}/${name}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const { namespace } = this.access.target;
    const request = { verb: 'get', group: '', resource, namespace, name };
    const api = this.access.kc.makeApiClient(CoreV1Api);
    const reading = friendly({ target: this.access.target, request }, () => get(api, namespace)).catch((error: unknown) => {
      if (isClusterError(error, 'not-found')) {
        if (optional) return undefined;
        throw new ClusterError(
          'not-found',
          `${resource.replace(/s$/, '')} "${name}" not found in namespace "${namespace}" (${this.who} reads it): create it, or the pods cannot start either`,
        );
      }
      throw error;
    });
    this.cache.set(key, reading);
    return reading;
  }
}
