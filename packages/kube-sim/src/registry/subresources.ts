// Views of an object that its subresources read and write: `status` (the object, of which only
// status is written) and `scale` (an autoscaling/v1 Scale over spec.replicas).
import { badRequest } from '../api/status';
import type { LabelSelectorFields } from '../store/selectors';
import type { KubeObject } from '../store/types';
import type { DeploymentObject, ReplicaSetObject, ScaleObject } from './kinds';

/** The kinds that serve `scale`. */
type Scalable = DeploymentObject | ReplicaSetObject;

export interface SubresourceView {
  /** The object a GET of the subresource returns. */
  read(parent: KubeObject): KubeObject;
  /** The parent after writing `view` through the subresource. */
  write(parent: KubeObject, view: KubeObject): KubeObject;
}

function selectorString(selector: LabelSelectorFields | undefined): string {
  const labels = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  const expressions = (selector?.matchExpressions ?? []).map((e) => {
    if (e.operator === 'Exists') return e.key;
    if (e.operator === 'DoesNotExist') return `!${e.key}`;
    return `${e.key} ${(e.operator ?? '').toLowerCase()} (${(e.values ?? []).join(',')})`;
  });
  return [...labels, ...expressions].join(',');
}

export const SUBRESOURCE_VIEWS: Record<string, SubresourceView> = {
  status: {
    read: (parent) => parent,
    write: (parent, view) => ({ ...parent, metadata: { ...parent.metadata, resourceVersion: view.metadata?.resourceVersion }, status: view.status }),
  },
  scale: {
    read: (parent: Scalable) => ({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: parent.metadata.name,
        namespace: parent.metadata.namespace,
        uid: parent.metadata.uid,
        resourceVersion: parent.metadata.resourceVersion,
        creationTimestamp: parent.metadata.creationTimestamp,
      },
      spec: { replicas: parent.spec?.replicas ?? 0 },
      status: { replicas: parent.status?.replicas ?? 0, selector: selectorString(parent.spec?.selector) },
    }),
    write: (parent: Scalable, view: ScaleObject) => {
      const replicas = view.spec?.replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas)) throw badRequest('Scale.spec.replicas must be an integer');
      return { ...parent, metadata: { ...parent.metadata, resourceVersion: view.metadata?.resourceVersion }, spec: { ...parent.spec, replicas } };
    },
  },
};
