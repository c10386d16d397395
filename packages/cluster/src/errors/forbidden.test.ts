import { ApiException } from '@kubernetes/client-node';
import { expect, it } from 'vitest';
import { toClusterError } from '../index';

// kube-sim has no RBAC, so these 403s are the bodies kube-apiserver sends (its wording in
// staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go), wrapped the
// way client-node throws them.
const target = { context: 'kind-ffk', server: 'https://127.0.0.1:6443', user: 'kind-ffk' };
const forbidden = (message?: string) =>
  new ApiException(
    403,
    'Unknown API Status Code!',
    message === undefined ? undefined : JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason: 'Forbidden', code: 403 }),
    {},
  );

it("names the missing permission from the API server's RBAC message", () => {
  const error = toClusterError(
    forbidden(
      'deployments.apps "catalog" is forbidden: User "system:serviceaccount:dev:ffk" cannot patch resource "deployments" in API group "apps" in the namespace "dev"',
    ),
    { target },
  );
  expect(error.kind).toBe('forbidden');
  expect(error.message).toBe(
    'forbidden: user "system:serviceaccount:dev:ffk" may not patch deployments.apps in namespace "dev": ask a cluster admin to grant it (context "kind-ffk")',
  );
  expect(
    toClusterError(forbidden('namespaces is forbidden: User "alice" cannot list resource "namespaces" in API group "" at the cluster scope'), { target })
      .message,
  ).toBe('forbidden: user "alice" may not list namespaces cluster-wide: ask a cluster admin to grant it (context "kind-ffk")');
});

it('falls back to what was attempted when the 403 has no body (a refused port-forward upgrade)', () => {
  const request = { verb: 'create', group: '', resource: 'pods/portforward', namespace: 'dev', name: 'catalog-abc' };
  expect(toClusterError(new Error('Unexpected server response: 403'), { target, request }).message).toBe(
    'forbidden: user "kind-ffk" may not create pods/portforward in namespace "dev": ask a cluster admin to grant it (context "kind-ffk")',
  );
  // A 403 that is not about permissions is passed on as the server worded it.
  expect(toClusterError(forbidden('unable to create new content in namespace dev because it is being terminated'), { target, request }).message).toBe(
    'the API server refused: unable to create new content in namespace dev because it is being terminated',
  );
});
