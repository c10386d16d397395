// RBAC and access reviews, as a user who is not the admin meets them: client-node and kubectl
// against one simulator with extra users, asserting what a real kube-apiserver answers.
import {
  AppsV1Api,
  AuthenticationV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
  type RbacV1Subject,
  type V1PolicyRule,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { parseJson } from '../../src/testing/json';
import { startCluster, type Status, statusOf, type TestCluster } from './helpers';

const RBAC = 'rbac.authorization.k8s.io';

describe('RBAC against kube-sim', () => {
  let cluster: TestCluster;
  let rbac: RbacAuthorizationV1Api;
  let dev: KubeConfig;
  let devKubeconfig: string;

  const role = (name: string, namespace: string, rules: V1PolicyRule[]) => rbac.createNamespacedRole({ namespace, body: { metadata: { name }, rules } });
  const bindRole = (
    name: string,
    namespace: string,
    roleRef: { kind: string; name: string },
    subject: RbacV1Subject = { kind: 'User', name: 'dev', apiGroup: RBAC },
  ) => rbac.createNamespacedRoleBinding({ namespace, body: { metadata: { name }, roleRef: { apiGroup: RBAC, ...roleRef }, subjects: [subject] } });

  beforeAll(async () => {
    cluster = await startCluster({
      runtime: false,
      users: [{ name: 'dev', token: 'dev-token' }, { name: 'system:serviceaccount:team:ci' }, { name: 'carol', groups: ['team-a'] }],
    });
    rbac = cluster.kc.makeApiClient(RbacAuthorizationV1Api);
    devKubeconfig = cluster.sim.kubeconfigFor('dev');
    dev = new KubeConfig();
    dev.loadFromFile(devKubeconfig);
    const core = cluster.kc.makeApiClient(CoreV1Api);
    for (const name of ['team', 'other']) await core.createNamespace({ body: { metadata: { name } } });
    await cluster.kc.makeApiClient(AppsV1Api).createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'ffk/web:1.0' }] } },
        },
      },
    });
  });
  afterAll(() => cluster?.stop());

  it('serves the RBAC kinds with the bootstrap roles, and writes a kubeconfig per user', async () => {
    const roles = (await rbac.listClusterRole()).items.map((r) => r.metadata?.name);
    expect(roles).toEqual(expect.arrayContaining(['cluster-admin', 'admin', 'edit', 'view', 'system:discovery', 'system:basic-user']));
    const binding = await rbac.readClusterRoleBinding({ name: 'cluster-admin' });
    expect(binding.subjects).toEqual([{ apiGroup: RBAC, kind: 'Group', name: 'system:masters' }]);
    expect(dev.getCurrentContext()).toBe('ffk-sim');
    expect(dev.getCurrentUser()).toMatchObject({ name: 'dev', token: 'dev-token' });
    const resources = (await cluster.kubectl(['api-resources', '--api-group', RBAC, '-o', 'name'])).stdout.trim().split('\n');
    expect(resources.sort()).toEqual([`clusterrolebindings.${RBAC}`, `clusterroles.${RBAC}`, `rolebindings.${RBAC}`, `roles.${RBAC}`]);
  });

  it('answers SelfSubjectReview (kubectl auth whoami) with the user authentication saw, for any user', async () => {
    const whoami = async (kubeconfig?: string) =>
      parseJson<{ status: { userInfo: unknown } }>((await cluster.kubectl(['auth', 'whoami', '-o', 'json'], undefined, kubeconfig)).stdout);
    expect(await whoami(devKubeconfig)).toMatchObject({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
      status: { userInfo: { username: 'dev', groups: ['system:authenticated'] } },
    });
    expect((await whoami()).status.userInfo).toEqual({ username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] });
    const carol = new KubeConfig();
    carol.loadFromFile(cluster.sim.kubeconfigFor('carol'));
    const review = await carol.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({ body: {} });
    expect(review.status?.userInfo).toEqual({ username: 'carol', groups: ['team-a', 'system:authenticated'] });
  });

  it("refuses a user without bindings with kube-apiserver's 403, and lets the admin do anything", async () => {
    const status = await statusOf(dev.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'default' }));
    expect(status).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: 'pods is forbidden: User "dev" cannot list resource "pods" in API group "" in the namespace "default"',
      details: { kind: 'pods' },
    });
    const named = await statusOf(dev.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'web', namespace: 'default' }));
    expect(named.message).toBe(
      'deployments.apps "web" is forbidden: User "dev" cannot get resource "deployments" in API group "apps" in the namespace "default"',
    );
    expect(named.details).toEqual({ name: 'web', group: 'apps', kind: 'deployments' });
    const cluster_ = await statusOf(dev.makeApiClient(CoreV1Api).listNamespace());
    expect(cluster_.message).toBe('namespaces is forbidden: User "dev" cannot list resource "namespaces" in API group "" at the cluster scope');
    // Discovery stays open to every authenticated user (system:discovery).
    expect((await cluster.kubectl(['api-versions'], undefined, devKubeconfig)).stdout).toContain(`${RBAC}/v1`);
  });

  it('grants by Role and RoleBinding in one namespace, with resourceNames and subresources', async () => {
    await role('pod-reader', 'team', [
      { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['get', 'list', 'update'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] },
      { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch'] },
    ]);
    await bindRole('dev-reads', 'team', { kind: 'Role', name: 'pod-reader' });
    const core = dev.makeApiClient(CoreV1Api);
    expect((await core.listNamespacedPod({ namespace: 'team' })).items).toEqual([]);
    expect((await statusOf(core.listNamespacedPod({ namespace: 'other' }))).code).toBe(403);
    // resourceNames: only the named ConfigMap; a list of all of them has no name to match.
    await cluster.kc.makeApiClient(CoreV1Api).createNamespacedConfigMap({ namespace: 'team', body: { metadata: { name: 'settings' }, data: { a: '1' } } });
    expect((await core.readNamespacedConfigMap({ namespace: 'team', name: 'settings' })).data).toEqual({ a: '1' });
    expect((await statusOf(core.readNamespacedConfigMap({ namespace: 'team', name: 'secret-ish' }))).message).toBe(
      'configmaps "secret-ish" is forbidden: User "dev" cannot get resource "configmaps" in API group "" in the namespace "team"',
    );
    expect((await statusOf(core.listNamespacedConfigMap({ namespace: 'team' }))).code).toBe(403);
    // A list narrowed to one name by fieldSelector is authorized against resourceNames, as on a real server.
    expect((await core.listNamespacedConfigMap({ namespace: 'team', fieldSelector: 'metadata.name=settings' })).items).toHaveLength(1);
  });

  it('scales through deployments/scale without the right to patch the Deployment (kubectl)', async () => {
    const admin = (...args: string[]) => cluster.kubectl(args);
    const asDev = (...args: string[]) => cluster.kubectl(args, undefined, devKubeconfig);
    const manifest = (await admin('create', 'deployment', 'api', '-n', 'team', '--image=ffk/api:1.0', '--dry-run=client', '-o', 'json')).stdout;
    expect((await cluster.kubectl(['apply', '-f', '-'], manifest)).code).toBe(0);
    const scaled = await asDev('scale', 'deployment', 'api', '-n', 'team', '--replicas=3');
    expect(scaled.stderr).toBe('');
    expect(scaled.stdout.trim()).toBe('deployment.apps/api scaled');
    expect((await admin('get', 'deployment', 'api', '-n', 'team', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('3');
    const patched = await asDev('patch', 'deployment', 'api', '-n', 'team', '--type=merge', '-p', '{"spec":{"paused":true}}');
    expect(patched.code).not.toBe(0);
    expect(patched.stderr.trim()).toBe(
      'Error from server (Forbidden): deployments.apps "api" is forbidden: User "dev" cannot patch resource "deployments" in API group "apps" in the namespace "team"',
    );
  });

  it('answers kubectl auth can-i and --list from the same rules', async () => {
    const canI = async (...args: string[]) => (await cluster.kubectl(['auth', 'can-i', ...args], undefined, devKubeconfig)).stdout.trim();
    expect(await canI('list', 'pods', '-n', 'team')).toBe('yes');
    expect(await canI('list', 'pods', '-n', 'other')).toBe('no');
    expect(await canI('get', 'pods', '--subresource=log', '-n', 'team')).toBe('yes');
    expect(await canI('create', 'pods', '--subresource=portforward', '-n', 'team')).toBe('no');
    expect(await canI('update', 'configmaps/settings', '-n', 'team')).toBe('yes');
    expect(await canI('update', 'configmaps/other', '-n', 'team')).toBe('no');
    expect(await canI('get', '/version')).toBe('yes');
    expect((await cluster.kubectl(['auth', 'can-i', 'delete', 'namespaces'])).stdout.trim()).toBe('yes'); // the admin
    const list = (await cluster.kubectl(['auth', 'can-i', '--list', '-n', 'team'], undefined, devKubeconfig)).stdout;
    expect(list).toMatch(/^configmaps\s+\[\]\s+\[settings\]\s+\[get list update\]$/m);
    expect(list).toMatch(/^deployments\.apps\/scale\s+\[\]\s+\[\]\s+\[get patch\]$/m);
    expect(list).toMatch(/^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
  });

  it('lets the admin impersonate a user (kubectl --as), and refuses a user who may not impersonate', async () => {
    expect((await cluster.kubectl(['auth', 'can-i', 'list', 'pods', '-n', 'team', '--as', 'dev'])).stdout.trim()).toBe('yes');
    expect((await cluster.kubectl(['auth', 'can-i', 'list', 'secrets', '-n', 'team', '--as', 'dev'])).stdout.trim()).toBe('no');
    const asDev = await cluster.kubectl(['get', 'secrets', '-n', 'team', '--as', 'dev']);
    expect(asDev.stderr.trim()).toBe(
      'Error from server (Forbidden): secrets is forbidden: User "dev" cannot list resource "secrets" in API group "" in the namespace "team"',
    );
    const devAsCarol = await cluster.kubectl(['get', 'pods', '--as', 'carol'], undefined, devKubeconfig);
    expect(devAsCarol.stderr.trim()).toBe(
      'Error from server (Forbidden): users "carol" is forbidden: User "dev" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
  });

  it('answers SelfSubjectAccessReview and SelfSubjectRulesReview to client-node with the RBAC reason', async () => {
    const reviews = dev.makeApiClient(AuthorizationV1Api);
    const review = (resourceAttributes: object) => reviews.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes } } });
    const allowed = await review({ verb: 'list', resource: 'pods', namespace: 'team' });
    expect(allowed.status).toEqual({ allowed: true, reason: 'RBAC: allowed by RoleBinding "dev-reads/team" of Role "pod-reader" to User "dev"' });
    expect((await review({ verb: 'delete', resource: 'pods', namespace: 'team' })).status).toEqual({ allowed: false });
    const invalid = await statusOf(reviews.createSelfSubjectAccessReview({ body: { spec: {} } }));
    expect(invalid).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(invalid.message).toContain('exactly one of nonResourceAttributes or resourceAttributes must be specified');
    const rules = await reviews.createSelfSubjectRulesReview({ body: { spec: { namespace: 'team' } } });
    expect(rules.status?.incomplete).toBe(false);
    expect(rules.status?.resourceRules).toContainEqual({ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods', 'pods/log'] });
    const discovery = rules.status?.nonResourceRules?.find((rule) => rule.nonResourceURLs?.includes('/api'));
    expect(discovery?.nonResourceURLs).toEqual(expect.arrayContaining(['/api', '/version']));
    // The admin may ask about another user (SubjectAccessReview); dev may not.
    const about = await cluster.kc.makeApiClient(AuthorizationV1Api).createSubjectAccessReview({
      body: { spec: { user: 'dev', groups: ['system:authenticated'], resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'team' } } },
    });
    expect(about.status?.allowed).toBe(true);
    expect((await statusOf(reviews.createSubjectAccessReview({ body: { spec: { user: 'x', nonResourceAttributes: { path: '/', verb: 'get' } } } }))).code).toBe(
      403,
    );
  });

  it('binds ClusterRoles cluster-wide or per namespace, to groups and service accounts, and names a missing role', async () => {
    const sa = new KubeConfig();
    sa.loadFromFile(cluster.sim.kubeconfigFor('system:serviceaccount:team:ci'));
    const carol = new KubeConfig();
    carol.loadFromFile(cluster.sim.kubeconfigFor('carol'));
    // The built-in `view` ClusterRole, bound in one namespace to a service account of that namespace.
    await bindRole('ci-view', 'team', { kind: 'ClusterRole', name: 'view' }, { kind: 'ServiceAccount', name: 'ci' });
    expect((await sa.makeApiClient(AppsV1Api).listNamespacedDeployment({ namespace: 'team' })).items.map((d) => d.metadata?.name)).toEqual(['api']);
    expect((await statusOf(sa.makeApiClient(AppsV1Api).listNamespacedDeployment({ namespace: 'default' }))).code).toBe(403);
    expect((await statusOf(sa.makeApiClient(CoreV1Api).listNamespacedSecret({ namespace: 'team' }))).code).toBe(403); // view excludes secrets
    // A ClusterRoleBinding to a group reaches every namespace.
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: 'team-a-view' },
        roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' },
        subjects: [{ apiGroup: RBAC, kind: 'Group', name: 'team-a' }],
      },
    });
    expect((await carol.makeApiClient(AppsV1Api).listNamespacedDeployment({ namespace: 'default' })).items.map((d) => d.metadata?.name)).toEqual(['web']);
    // A binding to a role that does not exist: the denial says so, as RBAC's resolution error.
    await bindRole('dangling', 'other', { kind: 'Role', name: 'missing' });
    expect((await statusOf(dev.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'other' }))).message).toBe(
      'pods is forbidden: User "dev" cannot list resource "pods" in API group "" in the namespace "other": RBAC: role.rbac.authorization.k8s.io "missing" not found',
    );
  });

  it('validates RBAC objects: rule shape, roleRef kind, and an immutable roleRef', async () => {
    const badRule = await statusOf(role('bad', 'team', [{ resources: ['pods'], verbs: ['get'] }]));
    expect(badRule).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(badRule.message).toBe(
      'Role.rbac.authorization.k8s.io "bad" is invalid: rules[0].apiGroups: Required value: resource rules must supply at least one api group',
    );
    const nonResource = await statusOf(role('bad', 'team', [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }]));
    expect(nonResource.message).toContain('rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs');
    const crbToRole = await statusOf(
      rbac.createClusterRoleBinding({ body: { metadata: { name: 'bad' }, roleRef: { apiGroup: RBAC, kind: 'Role', name: 'x' }, subjects: [] } }),
    );
    expect(crbToRole.message).toContain('roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"');
    const changed = await cluster.kubectl(['patch', 'rolebinding', 'dev-reads', '-n', 'team', '--type=merge', '-p', '{"roleRef":{"name":"other"}}']);
    expect(changed.stderr).toContain('roleRef: Invalid value');
    expect(changed.stderr).toContain('cannot change roleRef');
  });

  it("creates RBAC objects with kubectl's protobuf commands, and applies them idempotently", async () => {
    const created = await cluster.kubectl(['create', 'clusterrole', 'pf', '--verb=get,create', '--resource=pods/portforward']);
    expect(created.stdout.trim()).toBe(`clusterrole.${RBAC}/pf created`);
    const bound = await cluster.kubectl(['create', 'rolebinding', 'dev-pf', '-n', 'team', '--clusterrole=pf', '--user=dev']);
    expect(bound.stdout.trim()).toBe(`rolebinding.${RBAC}/dev-pf created`);
    expect(
      (await cluster.kubectl(['auth', 'can-i', 'create', 'pods', '--subresource=portforward', '-n', 'team'], undefined, devKubeconfig)).stdout.trim(),
    ).toBe('yes');
    const yaml = (await cluster.kubectl(['create', 'role', 'cm-edit', '-n', 'team', '--verb=*', '--resource=configmaps', '--dry-run=client', '-o', 'yaml']))
      .stdout;
    expect((await cluster.kubectl(['apply', '-f', '-'], yaml)).stdout.trim()).toBe(`role.${RBAC}/cm-edit created`);
    const version = () => rbac.readNamespacedRole({ name: 'cm-edit', namespace: 'team' }).then((r) => r.metadata?.resourceVersion);
    const before = await version();
    // kubectl sends `creationTimestamp: null` from the dry-run YAML again (so it prints "configured"); the server stores nothing.
    expect((await cluster.kubectl(['apply', '-f', '-'], yaml)).code).toBe(0);
    expect(await version()).toBe(before);
    expect((await cluster.kubectl(['explain', 'role.rules.verbs'])).stdout).toContain('FIELD: verbs <[]string>');
  });

  it('authorizes WebSocket upgrades: port-forward over a WebSocket GET needs `get` on pods/portforward (Kubernetes 1.32)', async () => {
    // The pod runtime is off here: a stand-in portforward handler completes any upgrade that gets through.
    const accepted = new WebSocketServer({ noServer: true });
    cluster.sim.router.addSubresource('pods', 'portforward', {
      kind: 'PodPortForwardOptions',
      verbs: ['create', 'get'],
      upgrade({ req, socket, head }) {
        accepted.handleUpgrade(req, socket, head, (ws) => ws.close());
      },
    });
    await cluster.kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'ws' } } });
    await cluster.kc
      .makeApiClient(CoreV1Api)
      .createNamespacedPod({ namespace: 'ws', body: { metadata: { name: 'db' }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } } });
    const upgrade = (namespace: string) =>
      new Promise<{ code: number; body: string }>((resolve) => {
        const url = `${cluster.sim.url.replace('https', 'wss')}/api/v1/namespaces/${namespace}/pods/db/portforward?ports=5432`;
        const socket = new WebSocket(url, ['v4.channel.k8s.io'], { headers: { authorization: 'Bearer dev-token' }, rejectUnauthorized: false });
        socket.on('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
        });
        socket.on('open', () => resolve({ code: 101, body: '' }));
      });
    const refused = await upgrade('ws');
    expect(refused.code).toBe(403);
    expect(parseJson<Status>(refused.body).message).toBe(
      'pods "db" is forbidden: User "dev" cannot get resource "pods/portforward" in API group "" in the namespace "ws"',
    );
    // `create` alone (what SPDY's POST needs) does not admit a WebSocket GET; `get` does.
    await rbac.createNamespacedRoleBinding({
      namespace: 'ws',
      body: {
        metadata: { name: 'dev-pf' },
        roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'pf-create' },
        subjects: [{ apiGroup: RBAC, kind: 'User', name: 'dev' }],
      },
    });
    await rbac.createClusterRole({
      body: { metadata: { name: 'pf-create' }, rules: [{ apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] }] },
    });
    expect((await upgrade('ws')).code).toBe(403);
    const pfCreate = await rbac.readClusterRole({ name: 'pf-create' });
    await rbac.replaceClusterRole({
      name: 'pf-create',
      body: { ...pfCreate, rules: [{ apiGroups: [''], resources: ['pods/portforward'], verbs: ['create', 'get'] }] },
    });
    expect((await upgrade('ws')).code).toBe(101);
  });
});
