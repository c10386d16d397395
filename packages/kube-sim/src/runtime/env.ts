// A container's environment as the kubelet builds it (pkg/kubelet/kubelet_pods.go,
// makeEnvironmentVariables): envFrom, then env with $(VAR) expansion and valueFrom, then the
// Service variables for every Service the pod may see, unless the pod already set them.
import type { ConfigMap, Container, Pod, Secret, Service } from './kube-types';

export interface EnvSources {
  configMap(namespace: string, name: string): ConfigMap | undefined;
  secret(namespace: string, name: string): Secret | undefined;
  /** Services of a namespace, with the address clients reach them at. */
  services(namespace: string): { service: Service; address: string }[];
}

/** What the kubelet reports as CreateContainerConfigError: the container cannot start. */
export class ContainerConfigError extends Error {}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** `$(VAR)` expands from what is defined so far; `$$(VAR)` is a literal `$(VAR)`; unknown refs stay. */
export function expandVariables(input: string, lookup: (name: string) => string | undefined): string {
  return input.replace(/\$\$|\$\(([^)]*)\)/g, (match, name: string | undefined) => {
    if (match === '$$') return '$';
    const value = name === undefined ? undefined : lookup(name);
    return value ?? match;
  });
}

function decodeSecret(secret: Secret, key: string): string | undefined {
  if (secret.stringData?.[key] !== undefined) return secret.stringData[key];
  const encoded = secret.data?.[key];
  return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
}

/** `<NAME>_SERVICE_HOST/PORT` and the Docker-link variables for one Service. */
export function serviceVariables(service: Service, address: string): Record<string, string> {
  const ports = service.spec.ports ?? [];
  if (ports.length === 0) return {};
  const name = (service.metadata.name ?? '').toUpperCase().replace(/-/g, '_');
  const vars: Record<string, string> = {
    [`${name}_SERVICE_HOST`]: address,
    [`${name}_SERVICE_PORT`]: String(ports[0].port),
  };
  for (const port of ports) {
    if (port.name) vars[`${name}_SERVICE_PORT_${port.name.toUpperCase().replace(/-/g, '_')}`] = String(port.port);
  }
  const protocol = (ports[0].protocol ?? 'TCP').toLowerCase();
  vars[`${name}_PORT`] = `${protocol}://${address}:${ports[0].port}`;
  for (const port of ports) {
    const proto = (port.protocol ?? 'TCP').toUpperCase();
    const prefix = `${name}_PORT_${port.port}_${proto}`;
    vars[prefix] = `${proto.toLowerCase()}://${address}:${port.port}`;
    vars[`${prefix}_PROTO`] = proto.toLowerCase();
    vars[`${prefix}_PORT`] = String(port.port);
    vars[`${prefix}_ADDR`] = address;
  }
  return vars;
}

function fieldValue(pod: Pod, podIP: string, path: string): string {
  const meta = pod.metadata;
  const keyed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (keyed) return (keyed[1] === 'labels' ? meta.labels : meta.annotations)?.[keyed[2]] ?? '';
  switch (path) {
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? 'default';
    case 'status.podIP':
    case 'status.podIPs':
      return podIP;
    case 'status.hostIP':
    case 'status.hostIPs':
      return '127.0.0.1';
    default:
      throw new ContainerConfigError(`unsupported fieldRef fieldPath "${path}"`);
  }
}

export function containerEnv(pod: Pod, container: Container, podIP: string, sources: EnvSources): Record<string, string> {
  const namespace = pod.metadata.namespace ?? 'default';
  const env: Record<string, string> = {};

  const serviceEnv: Record<string, string> = {};
  const visible = pod.spec.enableServiceLinks === false ? [] : sources.services(namespace);
  // The API server's own Service is always announced, from the default namespace.
  const master = sources.services('default').filter(({ service }) => service.metadata.name === 'kubernetes');
  for (const { service, address } of [...master, ...visible]) {
    if (service.spec.clusterIP === 'None') continue;
    Object.assign(serviceEnv, serviceVariables(service, address));
  }
  const lookup = (name: string) => env[name] ?? serviceEnv[name];

  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    let data: Record<string, string> | undefined;
    if (from.configMapRef) {
      const map = sources.configMap(namespace, from.configMapRef.name ?? '');
      if (!map && !from.configMapRef.optional) throw new ContainerConfigError(`configmap "${from.configMapRef.name}" not found`);
      data = map?.data;
    } else if (from.secretRef) {
      const secret = sources.secret(namespace, from.secretRef.name ?? '');
      if (!secret && !from.secretRef.optional) throw new ContainerConfigError(`secret "${from.secretRef.name}" not found`);
      data = secret ? Object.fromEntries(Object.keys({ ...secret.data, ...secret.stringData }).map((k) => [k, decodeSecret(secret, k) ?? ''])) : undefined;
    }
    for (const [key, value] of Object.entries(data ?? {})) {
      if (ENV_NAME.test(prefix + key)) env[prefix + key] = value; // invalid names are skipped, as the kubelet does
    }
  }

  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (!from) {
      env[variable.name] = expandVariables(variable.value ?? '', lookup);
    } else if (from.fieldRef) {
      env[variable.name] = fieldValue(pod, podIP, from.fieldRef.fieldPath);
    } else if (from.configMapKeyRef) {
      const ref = from.configMapKeyRef;
      const map = sources.configMap(namespace, ref.name ?? '');
      const value = map?.data?.[ref.key];
      if (value !== undefined) env[variable.name] = value;
      else if (!ref.optional) {
        throw new ContainerConfigError(map ? `couldn't find key ${ref.key} in ConfigMap ${namespace}/${ref.name}` : `configmap "${ref.name}" not found`);
      }
    } else if (from.secretKeyRef) {
      const ref = from.secretKeyRef;
      const secret = sources.secret(namespace, ref.name ?? '');
      const value = secret && decodeSecret(secret, ref.key);
      if (value !== undefined) env[variable.name] = value;
      else if (!ref.optional) {
        throw new ContainerConfigError(secret ? `couldn't find key ${ref.key} in Secret ${namespace}/${ref.name}` : `secret "${ref.name}" not found`);
      }
    } else if (from.resourceFieldRef) {
      // No resource accounting here: report the limit if set, else what a node without limits reports (0 = unbounded for most readers).
      const resource = from.resourceFieldRef.resource;
      const [kind, name] = resource.split('.');
      env[variable.name] = (kind === 'limits' ? container.resources?.limits : container.resources?.requests)?.[name] ?? '0';
    }
  }

  for (const [name, value] of Object.entries(serviceEnv)) if (!(name in env)) env[name] = value;
  return env;
}
