// Pod (pkg/registry/core/pod/strategy.go): the admission defaults, quantities in canonical form,
// a spec that only changes images (and a few scheduling fields) once created, graceful deletion
// of a pod bound to a node (the kubelet removes it once its containers stopped), and the columns
// of `kubectl get pods`.
import { AGE, type Column, NAME, orNone } from '../../api/columns';
import { fieldForbidden } from '../../api/field-errors';
import { sameJson } from '../../store/same-json';
import { defaultPodSpec } from '../defaults';
import type { ContainerFields, PodObject, PodSpecFields } from '../kinds';
import { canonicalQuantity } from '../quantity';
import { podSpecCauses } from '../validation';
import type { Strategy } from './strategy';

/** Resource requests and limits (and emptyDir size limits) as the API stores them: `0.1` -> `100m`. */
export function canonicalPodSpec(spec: PodSpecFields | undefined, kind: string): void {
  for (const container of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    for (const list of [container.resources?.requests, container.resources?.limits]) {
      if (!list) continue;
      for (const [name, value] of Object.entries(list)) list[name] = canonicalQuantity(value, kind);
    }
  }
  for (const volume of spec?.volumes ?? []) {
    if (volume.emptyDir?.sizeLimit !== undefined) volume.emptyDir.sizeLimit = canonicalQuantity(volume.emptyDir.sizeLimit, kind);
  }
}

function qosClass(spec: PodSpecFields): 'BestEffort' | 'Guaranteed' | 'Burstable' {
  const resources = (spec.containers ?? []).map((c) => c.resources ?? {});
  if (resources.every((r) => !r.limits && !r.requests)) return 'BestEffort';
  const guaranteed = resources.every(({ limits, requests }) => {
    if (!limits?.cpu || !limits.memory) return false;
    return !requests || ['cpu', 'memory'].every((k) => !requests[k] || String(requests[k]) === String(limits[k]));
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function podStatus(pod: PodObject): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  for (const status of pod.status?.containerStatuses ?? []) {
    if (status.state?.waiting?.reason) return status.state.waiting.reason;
    if (status.state?.terminated?.reason) return status.state.terminated.reason;
  }
  return pod.status?.reason ?? pod.status?.phase ?? 'Pending';
}

const COLUMNS: Column<PodObject>[] = [
  NAME,
  {
    name: 'Ready',
    type: 'string',
    cell: (o) => `${(o.status?.containerStatuses ?? []).filter((c) => c.ready).length}/${(o.spec?.containers ?? []).length}`,
  },
  { name: 'Status', type: 'string', cell: podStatus },
  {
    name: 'Restarts',
    type: 'string',
    cell: (o) => String((o.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0)),
  },
  AGE,
  { name: 'IP', type: 'string', priority: 1, cell: (o) => orNone(o.status?.podIP) },
  { name: 'Node', type: 'string', priority: 1, cell: (o) => orNone(o.spec?.nodeName) },
  { name: 'Nominated Node', type: 'string', priority: 1, cell: (o) => orNone(o.status?.nominatedNodeName) },
  { name: 'Readiness Gates', type: 'string', priority: 1, cell: () => '<none>' },
];

const IMMUTABLE_SPEC =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

export const podStrategy: Strategy<PodObject> = {
  canonicalize: (pod) => canonicalPodSpec(pod.spec, 'Pod'),
  defaults(pod) {
    const spec = pod.spec;
    defaultPodSpec(spec);
    if (!spec) return;
    // Admission plugins (ServiceAccount, Priority, DefaultTolerationSeconds) on a real server.
    spec.serviceAccountName ??= 'default';
    spec.serviceAccount ??= spec.serviceAccountName;
    spec.enableServiceLinks ??= true;
    spec.priority ??= 0;
    spec.preemptionPolicy ??= 'PreemptLowerPriority';
    spec.tolerations ??= [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ];
    const status = (pod.status ??= {});
    status.phase ??= 'Pending';
    status.qosClass ??= qosClass(spec);
  },
  validate: (pod) => podSpecCauses(pod.spec, 'spec'),
  validateUpdate(next, previous) {
    // Only images (and a few scheduling fields) may change in a running pod's spec; binding sets nodeName once.
    const withoutImage = (c: ContainerFields) => ({ ...c, image: undefined });
    const strip = (spec: PodSpecFields | undefined) => ({
      ...spec,
      containers: (spec?.containers ?? []).map(withoutImage),
      initContainers: (spec?.initContainers ?? []).map(withoutImage),
      activeDeadlineSeconds: undefined,
      tolerations: undefined,
      nodeName: previous.spec?.nodeName ? spec?.nodeName : undefined,
    });
    return sameJson(strip(next.spec), strip(previous.spec)) ? [] : [fieldForbidden('spec', IMMUTABLE_SPEC)];
  },
  // A pod on a node ends gracefully: it stays, terminating, until the kubelet has stopped it.
  gracePeriod: (pod, requested) => (pod.spec?.nodeName ? (requested ?? pod.spec?.terminationGracePeriodSeconds ?? 30) : 0),
  holdsDeletion: (pod) => Boolean(pod.spec?.nodeName),
  returnsDeletedObject: true,
  fieldLabels: {
    'spec.nodeName': (o) => o.spec?.nodeName ?? '',
    'spec.restartPolicy': (o) => o.spec?.restartPolicy ?? '',
    'spec.schedulerName': (o) => o.spec?.schedulerName ?? '',
    'spec.serviceAccountName': (o) => o.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': (o) => String(o.spec?.hostNetwork ?? false),
    'status.phase': (o) => o.status?.phase ?? '',
    'status.podIP': (o) => o.status?.podIP ?? '',
    'status.nominatedNodeName': (o) => o.status?.nominatedNodeName ?? '',
  },
  columns: COLUMNS,
};
