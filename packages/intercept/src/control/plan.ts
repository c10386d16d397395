// The JSON patches of install and restore, computed from the objects as read. Each starts with a
// `test` of metadata.resourceVersion, so a concurrent change makes it fail instead of being lost.
import { ClusterError } from '@ffk/cluster';
import type { V1Container, V1Deployment, V1EnvVar, V1ObjectMeta, V1Probe, V1Service, V1Volume } from '@kubernetes/client-node';
import { AGENT_DEFAULTS, agentEnv, type AgentPort } from '../agent/config';
import { AGENT_BUNDLE_KEY, AGENT_MOUNT_PATH, AGENT_VOLUME } from './agent-image';
import {
  AGENT_CONTAINER,
  type AgentRecord,
  ANNOTATION,
  annotationPath,
  type DeploymentOriginal,
  readJsonAnnotation,
  type ServiceOriginal,
} from './annotations';
import type { PortChoice } from './ports';
import { originalVerifies, signOriginal } from './signature';

export type PatchOp = { op: 'test' | 'add' | 'replace'; path: string; value: unknown } | { op: 'remove'; path: string };

export const AGENT_SERVICE_PORT = 9900;
const PROBES = ['readinessProbe', 'livenessProbe', 'startupProbe'] as const;
const MAX_PORT_NAME = 15; // IANA_SVC_NAME

export interface InstallOptions {
  image: string;
  /** the agent's version and the ConfigMap that holds its bundle */
  version: string;
  bundle: string;
  secret: string;
  /** the agent's token: it signs the recorded original */
  token: string;
  lease: LeaseValue;
  now?: Date;
}

export interface LeaseValue {
  expires: Date;
  holder: string;
}

export interface InstallPlan {
  ops: PatchOp[];
  record: AgentRecord;
}

/** The agent's port takes the app port's name; the app's becomes ffk-<name> (Telepresence's swap). */
export function agentPortName(choice: PortChoice): string {
  return choice.name ?? `ffk-${choice.containerPort}`;
}

/** The `test` op each patch starts with; an object read without a resourceVersion cannot be guarded. */
export function resourceVersionTest(object: { kind?: string; metadata?: V1ObjectMeta }): PatchOp {
  const value = object.metadata?.resourceVersion;
  if (!value) {
    throw new Error(`the ${object.kind ?? 'object'} "${object.metadata?.name}" came without metadata.resourceVersion: ffk cannot guard a patch of it`);
  }
  return { op: 'test', path: '/metadata/resourceVersion', value };
}

function renamedAppPort(name: string): string {
  return `ffk-${name}`.slice(0, MAX_PORT_NAME).replace(/-+$/, '');
}

export function planInstall(deployment: V1Deployment, choice: PortChoice, options: InstallOptions): InstallPlan {
  const spec = deployment.spec?.template.spec;
  if (!spec) throw new Error(`deployment "${deployment.metadata?.name}" has no pod template spec to install the agent into`);
  const app = spec.containers[choice.containerIndex];
  const taken = new Set(spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.containerPort)));
  taken.add(choice.containerPort);
  const [listen, tunnelPort, healthPort] = freePorts(taken, [AGENT_SERVICE_PORT, AGENT_DEFAULTS.tunnelPort, AGENT_DEFAULTS.healthPort]);
  const ports: AgentPort[] = [{ name: agentPortName(choice), listen: listen, app: choice.containerPort, protocol: choice.protocol }];
  const record: AgentRecord = {
    image: options.image,
    version: options.version,
    bundle: options.bundle,
    container: app.name,
    secret: options.secret,
    tunnelPort: tunnelPort,
    healthPort: healthPort,
    ports,
    installedAt: (options.now ?? new Date()).toISOString(),
  };

  // The app container: its port loses the name the agent takes, and probes that named it follow.
  const fields: Record<string, unknown> = {};
  const changes: Partial<V1Container> = {};
  if (choice.name) {
    const newName = renamedAppPort(choice.name);
    fields.ports = app.ports ?? null;
    changes.ports = (app.ports ?? []).map((p) => (p.name === choice.name ? { ...p, name: newName } : p));
    for (const probe of PROBES) {
      const renamed = renameProbePort(app[probe], choice.name, newName);
      if (renamed) {
        fields[probe] = app[probe];
        changes[probe] = renamed;
      }
    }
  }
  const original: DeploymentOriginal = { container: app.name, fields, written: changes, hadAnnotations: Boolean(deployment.metadata?.annotations) };
  const originalJson = JSON.stringify(original);
  const base = `/spec/template/spec/containers/${choice.containerIndex}`;
  const ops: PatchOp[] = [
    resourceVersionTest(deployment),
    ...annotationOps(deployment.metadata?.annotations, {
      [ANNOTATION.agent]: JSON.stringify(record),
      [ANNOTATION.original]: originalJson,
      [ANNOTATION.signature]: signOriginal(options.token, deployment.metadata, originalJson),
      ...leaseAnnotations(options.lease),
    }),
    ...Object.entries(changes).map(([field, value]): PatchOp => ({ op: field in app ? 'replace' : 'add', path: `${base}/${field}`, value })),
    { op: 'add', path: '/spec/template/spec/containers/-', value: agentContainer(record) },
    ...addVolumeOps(deployment, record),
  ];
  return { ops, record };
}

/**
 * A newer agent in place of an installed one (one rollout): the sidecar and the record replaced,
 * the bundle's volume added if the old agent had none; the app's recorded original is kept.
 */
export function planUpgrade(deployment: V1Deployment, installed: AgentRecord, options: Pick<InstallOptions, 'image' | 'version' | 'bundle'>): InstallPlan {
  const containers = deployment.spec?.template.spec?.containers ?? [];
  const record: AgentRecord = { ...installed, image: options.image, version: options.version, bundle: options.bundle };
  const ops: PatchOp[] = [
    resourceVersionTest(deployment),
    { op: 'replace', path: annotationPath(ANNOTATION.agent), value: JSON.stringify(record) },
    { op: 'replace', path: `/spec/template/spec/containers/${containers.findIndex((c) => c.name === AGENT_CONTAINER)}`, value: agentContainer(record) },
    ...addVolumeOps(deployment, record),
  ];
  return { ops, record };
}

function agentVolume(record: AgentRecord): V1Volume {
  return { name: AGENT_VOLUME, configMap: { name: record.bundle, items: [{ key: AGENT_BUNDLE_KEY, path: AGENT_BUNDLE_KEY }] } };
}

function addVolumeOps(deployment: V1Deployment, record: AgentRecord): PatchOp[] {
  const volumes = deployment.spec?.template.spec?.volumes;
  const index = volumes?.findIndex((v) => v.name === AGENT_VOLUME) ?? -1;
  if (index >= 0) return [{ op: 'replace', path: `/spec/template/spec/volumes/${index}`, value: agentVolume(record) }];
  if (!volumes) return [{ op: 'add', path: '/spec/template/spec/volumes', value: [agentVolume(record)] }];
  return [{ op: 'add', path: '/spec/template/spec/volumes/-', value: agentVolume(record) }];
}

/** The bundle's volume goes; so does the list when it was the only one (Kubernetes omits an empty list). */
function removeVolumeOps(deployment: V1Deployment): PatchOp[] {
  const volumes = deployment.spec?.template.spec?.volumes ?? [];
  const index = volumes.findIndex((v) => v.name === AGENT_VOLUME);
  if (index < 0) return [];
  return [{ op: 'remove', path: volumes.length === 1 ? '/spec/template/spec/volumes' : `/spec/template/spec/volumes/${index}` }];
}

export function leaseAnnotations(lease: LeaseValue): Record<string, string> {
  return { [ANNOTATION.leaseExpires]: lease.expires.toISOString(), [ANNOTATION.leaseHolder]: lease.holder };
}

/** Adds (or replaces) annotations, creating metadata.annotations when the object has none. */
export function annotationOps(current: Record<string, string> | undefined, values: Record<string, string>): PatchOp[] {
  if (!current) return [{ op: 'add', path: '/metadata/annotations', value: values }];
  return Object.entries(values).map(([key, value]) => ({ op: key in current ? 'replace' : 'add', path: annotationPath(key), value }));
}

/** Removes ffk's annotations; the whole map when ffk created it and nothing else is left. */
function removeAnnotationOps(current: Record<string, string> | undefined, hadAnnotations: boolean): PatchOp[] {
  const ours = Object.values(ANNOTATION).filter((key) => current && key in current);
  const others = Object.keys(current ?? {}).filter((key) => !ours.includes(key as never));
  if (!hadAnnotations && others.length === 0 && current) return [{ op: 'remove', path: '/metadata/annotations' }];
  return ours.map((key) => ({ op: 'remove', path: annotationPath(key) }));
}

function agentContainer(record: AgentRecord): V1Container {
  const settings = agentEnv({ token: 'from-secret', ports: record.ports, tunnelPort: record.tunnelPort, healthPort: record.healthPort, podName: '' });
  const env: V1EnvVar[] = [
    // The token stays in its Secret: the Deployment spec never shows it.
    { name: 'FFK_AGENT_TOKEN', valueFrom: { secretKeyRef: { name: record.secret, key: 'token' } } },
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ...Object.entries(settings)
      .filter(([name]) => name !== 'FFK_AGENT_TOKEN')
      .map(([name, value]) => ({ name, value })),
  ];
  if (record.version) env.push({ name: 'FFK_AGENT_VERSION', value: record.version });
  return {
    name: AGENT_CONTAINER,
    image: record.image,
    imagePullPolicy: 'IfNotPresent',
    // The stock Node image; the code is the CLI's bundle from the ConfigMap.
    command: ['node', `${AGENT_MOUNT_PATH}/${AGENT_BUNDLE_KEY}`],
    volumeMounts: [{ name: AGENT_VOLUME, mountPath: AGENT_MOUNT_PATH, readOnly: true }],
    ports: record.ports.map((p) => ({ name: p.name, containerPort: p.listen })),
    env,
    readinessProbe: { httpGet: { path: '/healthz', port: record.healthPort }, periodSeconds: 1, timeoutSeconds: 2, failureThreshold: 3 },
    resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '256Mi' } },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
  };
}

function renameProbePort(probe: V1Probe | undefined, from: string, to: string): V1Probe | undefined {
  if (probe?.httpGet?.port === from) return { ...probe, httpGet: { ...probe.httpGet, port: to } };
  if (probe?.tcpSocket?.port === from) return { ...probe, tcpSocket: { ...probe.tcpSocket, port: to } };
  return undefined;
}

function freePorts(taken: Set<number>, wanted: number[]): number[] {
  const used = new Set(taken);
  return wanted.map((port) => {
    let candidate = port;
    while (used.has(candidate)) candidate += 10;
    used.add(candidate);
    return candidate;
  });
}

export interface RestorePlan {
  ops: PatchOp[];
  /** fields a teammate changed since the install: left as they are, with what ffk had recorded */
  left: { field: string; original: unknown }[];
}

/**
 * Puts back the fields recorded at install that still hold what ffk wrote (a teammate's later
 * change wins and is reported), removes the sidecar and ffk's annotations. The record must carry
 * a valid signature by the agent's token; an edited or unsigned one is refused.
 */
export function planRestore(deployment: V1Deployment, token: string): RestorePlan {
  const name = deployment.metadata?.name;
  const containers = deployment.spec?.template.spec?.containers ?? [];
  const agentIndex = containers.findIndex((c) => c.name === AGENT_CONTAINER);
  const ops: PatchOp[] = [resourceVersionTest(deployment)];
  const left: RestorePlan['left'] = [];
  const recorded = deployment.metadata?.annotations?.[ANNOTATION.original] !== undefined;
  const original = recorded ? checkedOriginal(deployment, token) : undefined;
  if (original) {
    const appIndex = containers.findIndex((c) => c.name === original.container);
    if (appIndex < 0) {
      throw new ClusterError(
        'invalid',
        `deployment "${name}" no longer has container "${original.container}", whose original ffk recorded: restore it by hand (the original is in annotation ${ANNOTATION.original})`,
      );
    }
    const app = containers[appIndex] as unknown as Record<string, unknown>;
    for (const [field, value] of Object.entries(original.fields)) {
      if (!holds(app[field], original.written[field])) {
        left.push({ field: `containers[${original.container}].${field}`, original: value });
        continue;
      }
      const path = `/spec/template/spec/containers/${appIndex}/${field}`;
      if (value === null) {
        if (field in app) ops.push({ op: 'remove', path });
      } else ops.push({ op: field in app ? 'replace' : 'add', path, value });
    }
  }
  // Removed last: the app container's index above is still valid.
  if (agentIndex >= 0) ops.push({ op: 'remove', path: `/spec/template/spec/containers/${agentIndex}` });
  ops.push(...removeVolumeOps(deployment));
  ops.push(...removeAnnotationOps(deployment.metadata?.annotations, original?.hadAnnotations ?? true));
  return { ops, left };
}

function checkedOriginal(deployment: V1Deployment, token: string): DeploymentOriginal {
  const name = deployment.metadata?.name;
  if (!originalVerifies(token, deployment.metadata)) {
    throw new ClusterError(
      'invalid',
      `the ${ANNOTATION.original} annotation of deployment "${name}" does not carry a valid signature by its agent's token (edited since the install, or written by an older ffk): ffk will not apply it; restore the Deployment by hand (remove the ${AGENT_CONTAINER} container and ffk.dev/* annotations, rename the app's port back)`,
    );
  }
  const original = readJsonAnnotation<DeploymentOriginal>(deployment.metadata, ANNOTATION.original);
  if (!original || typeof original.container !== 'string' || !isRecord(original.fields) || !isRecord(original.written)) {
    throw new ClusterError(
      'invalid',
      `the ${ANNOTATION.original} annotation of deployment "${name}" is not an original ffk can read: restore the Deployment by hand`,
    );
  }
  return original;
}

/** `current` still holds what ffk wrote: every value it wrote is there (the server may add defaults). */
function holds(current: unknown, written: unknown): boolean {
  if (written === null || typeof written !== 'object') return current === written;
  if (current === null || typeof current !== 'object' || Array.isArray(current) !== Array.isArray(written)) return false;
  if (Array.isArray(written)) return written.length === (current as unknown[]).length && written.every((w, i) => holds((current as unknown[])[i], w));
  return Object.entries(written).every(([key, value]) => holds((current as Record<string, unknown>)[key], value));
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Service ports with a numeric targetPort to the app move to the agent's port name. */
export function planServiceRewrite(service: V1Service, indexes: number[], agentPort: string, token: string): PatchOp[] {
  const ports = service.spec?.ports ?? [];
  const numeric = indexes.filter((i) => typeof (ports[i]?.targetPort ?? ports[i]?.port) === 'number' || /^\d+$/.test(String(ports[i]?.targetPort)));
  if (numeric.length === 0) return [];
  const original: ServiceOriginal = {
    ports: numeric.map((index) => ({ index, port: ports[index].port, targetPort: ports[index].targetPort ?? ports[index].port })),
    hadAnnotations: Boolean(service.metadata?.annotations),
  };
  const originalJson = JSON.stringify(original);
  return [
    resourceVersionTest(service),
    ...annotationOps(service.metadata?.annotations, {
      [ANNOTATION.original]: originalJson,
      [ANNOTATION.signature]: signOriginal(token, service.metadata, originalJson),
    }),
    ...numeric.flatMap((index): PatchOp[] => [
      { op: 'test', path: `/spec/ports/${index}/port`, value: ports[index].port },
      { op: 'replace', path: `/spec/ports/${index}/targetPort`, value: agentPort },
    ]),
  ];
}

/**
 * The Service's recorded targetPorts back (those that still point at the agent's port), and the
 * annotation gone; [] when ffk never changed it. An unsigned or edited record is refused.
 */
export function planServiceRestore(service: V1Service, token: string, agentPort: string): PatchOp[] {
  if (service.metadata?.annotations?.[ANNOTATION.original] === undefined) return [];
  const name = service.metadata?.name;
  const original = readJsonAnnotation<ServiceOriginal>(service.metadata, ANNOTATION.original);
  if (!originalVerifies(token, service.metadata) || !Array.isArray(original?.ports)) {
    throw new ClusterError(
      'invalid',
      `the ${ANNOTATION.original} annotation of service "${name}" does not carry a valid signature by the agent's token: ffk will not apply it; point its targetPort back at the app by hand and remove the ffk.dev/* annotations`,
    );
  }
  const ports = service.spec?.ports ?? [];
  return [
    { op: 'test', path: '/metadata/resourceVersion', value: service.metadata.resourceVersion },
    ...original.ports
      .filter(({ index, port }) => ports[index]?.port === port && ports[index]?.targetPort === agentPort)
      .map(({ index, targetPort }): PatchOp => ({ op: 'replace', path: `/spec/ports/${index}/targetPort`, value: targetPort })),
    ...removeAnnotationOps(service.metadata?.annotations, original.hadAnnotations),
  ];
}
