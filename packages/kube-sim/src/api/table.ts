// meta.k8s.io/v1 Table answers: the columns `kubectl get` prints come from the server, as they
// do from a real API server's table convertors.
import type { ListResult } from '../registry/list-pages';
import type { KubeObject } from '../store/types';
import { fieldInvalid } from './field-errors';
import { invalid } from './status';

interface Column {
  name: string;
  type: string;
  format?: string;
  priority?: number;
  description?: string;
  cell(object: KubeObject): string | number;
}

/** Accept asks for a Table (kubectl get). */
export function wantsTable(accept: string | undefined): boolean {
  return /as=Table/.test(accept ?? '');
}

/** Kubernetes' HumanDuration: 45s, 3m20s, 15m, 2h5m, 26h, 3d4h, 50d, 2y. */
export function humanDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 730) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

const age = (timestamp: string | undefined) => (timestamp ? humanDuration((Date.now() - Date.parse(timestamp)) / 1000) : '<unknown>');
const orNone = (value: unknown) => (value === undefined || value === null || value === '' ? '<none>' : String(value));
const selectorText = (selector: Record<string, string> | undefined) =>
  selector && Object.keys(selector).length ? Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',') : '<none>';

const NAME: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', cell: (o) => o.metadata.name };
const AGE: Column = { name: 'Age', type: 'string', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', cell: (o) => age(o.metadata.creationTimestamp) };
const containers = (o: KubeObject) => (o.spec?.template?.spec?.containers ?? []).map((c: { name: string }) => c.name).join(',');
const images = (o: KubeObject) => (o.spec?.template?.spec?.containers ?? []).map((c: { image: string }) => c.image).join(',');
const labelSelector = (o: KubeObject) => {
  const sel = o.spec?.selector;
  const parts = Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(',') : '<none>';
};

function podStatus(pod: KubeObject): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  for (const status of pod.status?.containerStatuses ?? []) {
    if (status.state?.waiting?.reason) return status.state.waiting.reason;
    if (status.state?.terminated?.reason) return status.state.terminated.reason;
  }
  return pod.status?.reason ?? pod.status?.phase ?? 'Pending';
}

function servicePorts(service: KubeObject): string {
  const ports = (service.spec?.ports ?? []) as { port: number; protocol?: string; nodePort?: number }[];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function endpointsText(endpoints: KubeObject): string {
  const out: string[] = [];
  for (const subset of endpoints.subsets ?? []) {
    for (const address of subset.addresses ?? []) for (const port of subset.ports ?? [{}]) out.push(port.port ? `${address.ip}:${port.port}` : address.ip);
  }
  if (out.length === 0) return '<none>';
  return out.length > 3 ? `${out.slice(0, 3).join(',')} + ${out.length - 3} more...` : out.join(',');
}

/** The `-o wide` columns of Deployments and ReplicaSets. */
const WORKLOAD_WIDE: Column[] = [
  { name: 'Containers', type: 'string', priority: 1, cell: containers },
  { name: 'Images', type: 'string', priority: 1, cell: images },
  { name: 'Selector', type: 'string', priority: 1, cell: labelSelector },
];

const COLUMNS: Record<string, Column[]> = {
  Pod: [
    NAME,
    { name: 'Ready', type: 'string', cell: (o) => `${(o.status?.containerStatuses ?? []).filter((c: { ready?: boolean }) => c.ready).length}/${(o.spec?.containers ?? []).length}` },
    { name: 'Status', type: 'string', cell: podStatus },
    { name: 'Restarts', type: 'string', cell: (o) => String((o.status?.containerStatuses ?? []).reduce((n: number, c: { restartCount?: number }) => n + (c.restartCount ?? 0), 0)) },
    AGE,
    { name: 'IP', type: 'string', priority: 1, cell: (o) => orNone(o.status?.podIP) },
    { name: 'Node', type: 'string', priority: 1, cell: (o) => orNone(o.spec?.nodeName) },
    { name: 'Nominated Node', type: 'string', priority: 1, cell: (o) => orNone(o.status?.nominatedNodeName) },
    { name: 'Readiness Gates', type: 'string', priority: 1, cell: () => '<none>' },
  ],
  Deployment: [
    NAME,
    { name: 'Ready', type: 'string', cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}` },
    { name: 'Up-to-date', type: 'integer', cell: (o) => o.status?.updatedReplicas ?? 0 },
    { name: 'Available', type: 'integer', cell: (o) => o.status?.availableReplicas ?? 0 },
    AGE,
    ...WORKLOAD_WIDE,
  ],
  ReplicaSet: [
    NAME,
    { name: 'Desired', type: 'integer', cell: (o) => o.spec?.replicas ?? 0 },
    { name: 'Current', type: 'integer', cell: (o) => o.status?.replicas ?? 0 },
    { name: 'Ready', type: 'integer', cell: (o) => o.status?.readyReplicas ?? 0 },
    AGE,
    ...WORKLOAD_WIDE,
  ],
  Service: [
    NAME,
    { name: 'Type', type: 'string', cell: (o) => o.spec?.type ?? 'ClusterIP' },
    { name: 'Cluster-IP', type: 'string', cell: (o) => orNone(o.spec?.clusterIP) },
    { name: 'External-IP', type: 'string', cell: (o) => (o.spec?.externalName ?? (o.spec?.type === 'LoadBalancer' ? '<pending>' : '<none>')) },
    { name: 'Port(s)', type: 'string', cell: servicePorts },
    AGE,
    { name: 'Selector', type: 'string', priority: 1, cell: (o) => selectorText(o.spec?.selector) },
  ],
  Endpoints: [NAME, { name: 'Endpoints', type: 'string', cell: endpointsText }, AGE],
  ConfigMap: [NAME, { name: 'Data', type: 'integer', cell: (o) => Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length }, AGE],
  Secret: [NAME, { name: 'Type', type: 'string', cell: (o) => o.type ?? 'Opaque' }, { name: 'Data', type: 'integer', cell: (o) => Object.keys(o.data ?? {}).length }, AGE],
  Namespace: [NAME, { name: 'Status', type: 'string', cell: (o) => o.status?.phase ?? 'Active' }, AGE],
  ServiceAccount: [NAME, { name: 'Secrets', type: 'integer', cell: (o) => (o.secrets ?? []).length }, AGE],
  Event: [
    { name: 'Last Seen', type: 'string', cell: (o) => age(o.lastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp) },
    { name: 'Type', type: 'string', cell: (o) => o.type ?? '' },
    { name: 'Reason', type: 'string', cell: (o) => o.reason ?? '' },
    { name: 'Object', type: 'string', cell: (o) => `${String(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name ?? ''}` },
    { name: 'Message', type: 'string', cell: (o) => o.message ?? '' },
  ],
};

/** TableOptions.includeObject, validated as ValidateTableOptions does. */
export function includeObjectOption(query: URLSearchParams): string | undefined {
  const include = query.get('includeObject') ?? '';
  if (!['', 'None', 'Metadata', 'Object'].includes(include)) {
    throw invalid('TableOptions', 'meta.k8s.io', '', [fieldInvalid('includeObject', include, "must be 'Metadata', 'Object', 'None', or empty")]);
  }
  return include || undefined;
}

function rowObject(object: KubeObject, include: string | undefined): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return object;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

/** A list (or one page of it: the ListMeta carries continue and remainingItemCount) as a Table. */
export function toTable(kind: string, list: ListResult, includeObject: string | undefined) {
  const columns = COLUMNS[kind] ?? [NAME, AGE];
  const { items: objects, ...metadata } = list;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: columns.map(({ name, type, format, priority, description }) => ({ name, type, format: format ?? '', description: description ?? '', priority: priority ?? 0 })),
    rows: objects.map((object) => ({ cells: columns.map((c) => c.cell(object)), object: rowObject(object, includeObject) })),
  };
}

/** One object (a get, a watch event) as a Table. */
export const objectTable = (kind: string, object: KubeObject, includeObject: string | undefined) =>
  toTable(kind, { items: [object], resourceVersion: object.metadata.resourceVersion ?? '' }, includeObject);
