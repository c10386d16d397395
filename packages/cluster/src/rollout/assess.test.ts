import { expect, it } from 'vitest';
import { assessRollout } from '../index';

// The simulator's single node takes every pod, so an Unschedulable pod and a rollout with an
// older revision still serving are checked on the objects a real cluster sends.
it("blames the new revision's unschedulable pod for ProgressDeadlineExceeded, not the old revision's", () => {
  const state = assessRollout(
    {
      metadata: { name: 'catalog', generation: 2, uid: 'd1', annotations: { 'deployment.kubernetes.io/revision': '2' } },
      spec: { replicas: 2, progressDeadlineSeconds: 120, selector: {}, template: {} },
      status: {
        observedGeneration: 2,
        replicas: 3,
        updatedReplicas: 1,
        availableReplicas: 2,
        conditions: [
          { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "catalog-new" has timed out progressing.' },
        ],
      },
    },
    [
      {
        metadata: {
          name: 'catalog-old',
          uid: 'r1',
          annotations: { 'deployment.kubernetes.io/revision': '1' },
          labels: { 'pod-template-hash': 'old' },
          ownerReferences: [{ uid: 'd1', apiVersion: 'apps/v1', kind: 'Deployment', name: 'catalog' }],
        },
      },
      {
        metadata: {
          name: 'catalog-new',
          uid: 'r2',
          annotations: { 'deployment.kubernetes.io/revision': '2' },
          labels: { 'pod-template-hash': 'new' },
          ownerReferences: [{ uid: 'd1', apiVersion: 'apps/v1', kind: 'Deployment', name: 'catalog' }],
        },
      },
    ],
    [
      { metadata: { name: 'catalog-old-a', labels: { 'pod-template-hash': 'old' } }, status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      {
        metadata: { name: 'catalog-new-a', labels: { 'pod-template-hash': 'new' } },
        status: {
          conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient memory.' }],
        },
      },
    ],
  );
  expect(state.done).toBe(false);
  expect(state.failed).toBe(
    'exceeded its progress deadline (120s); waiting for pod catalog-new-a to become Ready: not scheduled (Unschedulable: 0/1 nodes are available: 1 Insufficient memory.)',
  );
  expect(state.pods.map((p) => p.pod)).toEqual(['catalog-new-a']); // the old revision's pod is not blamed
});
