// Deployment and ReplicaSet (pkg/registry/apps/{deployment,replicaset}/strategy.go): defaults,
// quantities in the pod template canonical, generation counting spec changes, a new object's
// empty status, template and selector rules with an immutable selector, and their columns.
import { AGE, type Column, NAME } from '../../api/columns';
import { fieldInvalid, fieldNotSupported, fieldRequired } from '../../api/field-errors';
import type { StatusCause } from '../../api/status';
import { sameJson } from '../../store/same-json';
import { selectorMatches } from '../../store/selectors';
import { defaultPodSpec } from '../defaults';
import type { DeploymentObject, ReplicaSetObject } from '../kinds';
import { immutable, podSpecCauses } from '../validation';
import { canonicalPodSpec } from './pod';
import type { Strategy } from './strategy';

type Workload = DeploymentObject | ReplicaSetObject;

function workloadCauses(object: Workload): StatusCause[] {
  const spec = object.spec ?? {};
  const causes: StatusCause[] = [];
  if (typeof spec.replicas === 'number' && spec.replicas < 0) causes.push(fieldInvalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  const selector = spec.selector;
  if (!selector || (!selector.matchLabels && !selector.matchExpressions)) {
    causes.push(fieldRequired('spec.selector'));
  } else if (!selectorMatches(selector, spec.template?.metadata?.labels)) {
    causes.push(fieldInvalid('spec.template.metadata.labels', spec.template?.metadata?.labels ?? {}, '`selector` does not match template `labels`'));
  }
  causes.push(...podSpecCauses(spec.template?.spec, 'spec.template.spec'));
  const restart = spec.template?.spec?.restartPolicy;
  if (restart && restart !== 'Always') causes.push(fieldNotSupported('spec.template.spec.restartPolicy', restart, ['Always']));
  return causes;
}

const selectorUnchanged = (next: Workload, previous: Workload) =>
  sameJson(next.spec?.selector, previous.spec?.selector) ? [] : [immutable('spec.selector', next.spec?.selector)];

const containers = (o: Workload) => (o.spec?.template?.spec?.containers ?? []).map((c) => c.name).join(',');
const images = (o: Workload) => (o.spec?.template?.spec?.containers ?? []).map((c) => c.image).join(',');
const labelSelector = (o: Workload) => {
  const parts = Object.entries(o.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(',') : '<none>';
};
/** The `-o wide` columns of Deployments and ReplicaSets. */
const WIDE: Column<Workload>[] = [
  { name: 'Containers', type: 'string', priority: 1, cell: containers },
  { name: 'Images', type: 'string', priority: 1, cell: images },
  { name: 'Selector', type: 'string', priority: 1, cell: labelSelector },
];

const workload: Strategy<Workload> = {
  canonicalize: (object) => canonicalPodSpec(object.spec?.template?.spec, object.kind),
  countsGeneration: true,
  validate: workloadCauses,
  validateUpdate: selectorUnchanged,
};

export const deploymentStrategy: Strategy<DeploymentObject> = {
  ...workload,
  defaults(deployment) {
    const spec = (deployment.spec ??= {});
    spec.replicas ??= 1;
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    const strategy = (spec.strategy ??= {});
    strategy.type ??= 'RollingUpdate';
    if (strategy.type === 'RollingUpdate') {
      const rollingUpdate = (strategy.rollingUpdate ??= {});
      rollingUpdate.maxUnavailable ??= '25%';
      rollingUpdate.maxSurge ??= '25%';
    }
    defaultPodSpec(spec.template?.spec);
  },
  prepareForCreate: (deployment) => void (deployment.status = {}),
  columns: [
    NAME,
    { name: 'Ready', type: 'string', cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}` },
    { name: 'Up-to-date', type: 'integer', cell: (o) => o.status?.updatedReplicas ?? 0 },
    { name: 'Available', type: 'integer', cell: (o) => o.status?.availableReplicas ?? 0 },
    AGE,
    ...WIDE,
  ],
};

export const replicaSetStrategy: Strategy<ReplicaSetObject> = {
  ...workload,
  defaults(replicaSet) {
    const spec = (replicaSet.spec ??= {});
    spec.replicas ??= 1;
    defaultPodSpec(spec.template?.spec);
  },
  fieldLabels: { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
  // ReplicaSetStatus.replicas is required and has no omitempty: a new ReplicaSet reports 0.
  prepareForCreate: (replicaSet) => void (replicaSet.status = { replicas: 0 }),
  columns: [
    NAME,
    { name: 'Desired', type: 'integer', cell: (o) => o.spec?.replicas ?? 0 },
    { name: 'Current', type: 'integer', cell: (o) => o.status?.replicas ?? 0 },
    { name: 'Ready', type: 'integer', cell: (o) => o.status?.readyReplicas ?? 0 },
    AGE,
    ...WIDE,
  ],
};
