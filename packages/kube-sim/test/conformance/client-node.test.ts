// Conformance with @kubernetes/client-node: what a program using the official client sees.
import { defined } from '@ffk/test-kit/defined';
import {
  AppsV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  type V1ConfigMap,
  type V1Deployment,
  Watch,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startCluster, type Status, statusOf, type TestCluster } from './helpers';

const containersOf = (deployment: V1Deployment) => defined(deployment.spec?.template.spec?.containers, 'the pod template containers');

const deployment = (name: string, replicas = 2) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'app', image: 'ffk/app:1.0', ports: [{ name: 'http', containerPort: 3000 }], env: [{ name: 'A', value: '1' }] }] },
    },
  },
});

describe('client-node against kube-sim', () => {
  let cluster: TestCluster;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let objects: KubernetesObjectApi;

  beforeAll(async () => {
    cluster = await startCluster({ historySize: 50, watchTimeoutSeconds: 1 });
    core = cluster.kc.makeApiClient(CoreV1Api);
    apps = cluster.kc.makeApiClient(AppsV1Api);
    objects = KubernetesObjectApi.makeApiClient(cluster.kc);
  });
  afterAll(() => cluster?.stop());

  it('answers 401 with a Status without the right token', async () => {
    const { KubeConfig, CoreV1Api: Api } = await import('@kubernetes/client-node');
    const kc = new KubeConfig();
    kc.loadFromFile(cluster.sim.kubeconfigPath);
    kc.users[0] = { ...kc.users[0], token: 'wrong' };
    const status = await statusOf(kc.makeApiClient(Api).listNamespace());
    expect(status.code).toBe(401);
  });

  it('has the default namespaces, a default ServiceAccount in each, and the kubernetes Service', async () => {
    const namespaces = (await core.listNamespace()).items.map((n) => n.metadata?.name);
    expect(namespaces).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public']));
    await eventually(async () =>
      expect((await core.readNamespacedServiceAccount({ name: 'default', namespace: 'kube-system' })).metadata?.name).toBe('default'),
    );
    const kubernetes = await core.readNamespacedService({ name: 'kubernetes', namespace: 'default' });
    expect(kubernetes.spec?.clusterIP).toBe('10.96.0.1');
  });

  it('creates with server-filled fields and defaults, and rejects duplicates with 409 AlreadyExists', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { generateName: 'cfg-' }, data: { a: '1' } } });
    expect(created.metadata?.name).toMatch(/^cfg-[a-z0-9]{5}$/);
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(created.metadata?.resourceVersion)).toBeGreaterThan(0);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    const name = defined(created.metadata?.name, 'the generated name');
    const again = await statusOf(core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name } } }));
    expect(again).toMatchObject({ code: 409, reason: 'AlreadyExists', message: `configmaps "${name}" already exists` });

    const service = await core.createNamespacedService({
      namespace: 'default',
      body: { metadata: { name: 'api' }, spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 'http' }] } },
    });
    expect(service.spec).toMatchObject({ type: 'ClusterIP', sessionAffinity: 'None', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
    expect(service.spec?.clusterIP).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
    expect(service.spec?.ports?.[0].protocol).toBe('TCP');

    const d = await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('defaults') });
    expect(d.metadata?.generation).toBe(1);
    expect(d.spec).toMatchObject({
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    });
    expect(d.spec?.template.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
    });
    expect(d.spec?.template.spec?.containers[0]).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    });
    const latest = await core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'latest' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    });
    expect(latest.spec?.containers[0].imagePullPolicy).toBe('Always');
    expect(latest.status?.phase).toBe('Pending');
  });

  it('rejects invalid objects with 422 Invalid and the causes', async () => {
    const invalid = await statusOf(core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'Bad_Name' } } }));
    expect(invalid).toMatchObject({
      code: 422,
      reason: 'Invalid',
      details: { kind: 'ConfigMap', name: 'Bad_Name', causes: [{ reason: 'FieldValueInvalid', field: 'metadata.name' }] },
    });
    const noImage = await statusOf(
      core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } } }),
    );
    expect(noImage.details.causes).toContainEqual({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' });
  });

  it('updates with optimistic concurrency (409 Conflict) and keeps immutable fields', async () => {
    const cm = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'occ' }, data: { v: '1' } } });
    const updated = await core.replaceNamespacedConfigMap({ name: 'occ', namespace: 'default', body: { ...cm, data: { v: '2' } } });
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(Number(cm.metadata?.resourceVersion));
    const stale = await statusOf(core.replaceNamespacedConfigMap({ name: 'occ', namespace: 'default', body: { ...cm, data: { v: '3' } } }));
    expect(stale).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(stale.message).toContain('the object has been modified');

    const service = await core.readNamespacedService({ name: 'api', namespace: 'default' });
    const moved = await statusOf(
      core.replaceNamespacedService({
        name: 'api',
        namespace: 'default',
        body: { ...service, spec: { ...service.spec, clusterIP: '10.96.99.99', clusterIPs: ['10.96.99.99'] } },
      }),
    );
    expect(moved).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(moved.details.causes[0].field).toBe('spec.clusterIP');
    const selector = await statusOf(
      apps.patchNamespacedDeployment(
        { name: 'defaults', namespace: 'default', body: { spec: { selector: { matchLabels: { app: 'other' } } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
    expect(selector.details.causes.map((c: { field: string }) => c.field)).toContain('spec.selector');
  });

  it('applies every patch type', async () => {
    await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('patched') });
    const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
    const json = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

    let d = await apps.patchNamespacedDeployment(
      { name: 'patched', namespace: 'default', body: { metadata: { labels: { tier: 'web' } }, spec: { replicas: 3 } } },
      merge,
    );
    expect(d.metadata?.labels).toEqual({ app: 'patched', tier: 'web' });
    expect(d.metadata?.generation).toBe(2);
    const generation = d.metadata?.generation;
    d = await apps.patchNamespacedDeployment({ name: 'patched', namespace: 'default', body: { metadata: { annotations: { note: 'x' } } } }, merge);
    expect(d.metadata?.generation).toBe(generation); // metadata-only change

    // Strategic merge: containers merge by name, env by name; a plain merge patch would replace the lists.
    d = await apps.patchNamespacedDeployment(
      {
        name: 'patched',
        namespace: 'default',
        body: {
          spec: {
            template: {
              spec: {
                containers: [
                  { name: 'app', env: [{ name: 'B', value: '2' }] },
                  { name: 'sidecar', image: 'ffk/agent:1.0' },
                ],
              },
            },
          },
        },
      },
      strategic,
    );
    const containers = containersOf(d);
    expect(containers.map((c) => c.name)).toEqual(['app', 'sidecar']);
    expect(containers[0].image).toBe('ffk/app:1.0');
    expect(containers[0].env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ]);
    d = await apps.patchNamespacedDeployment(
      { name: 'patched', namespace: 'default', body: { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } } },
      strategic,
    );
    expect(containersOf(d).map((c) => c.name)).toEqual(['app']);

    // JSON patch with a resourceVersion guard (`test`), as the intercept installer uses it; the
    // deployment controller writes status meanwhile, so retry on a failed test like a real client.
    const guarded = (ops: object[]) =>
      eventually(async () => {
        const rv = defined((await apps.readNamespacedDeployment({ name: 'patched', namespace: 'default' })).metadata?.resourceVersion, 'a resourceVersion');
        return apps.patchNamespacedDeployment(
          { name: 'patched', namespace: 'default', body: [{ op: 'test', path: '/metadata/resourceVersion', value: rv }, ...ops] },
          json,
        );
      });
    d = await guarded([{ op: 'replace', path: '/spec/template/spec/containers/0/ports/0/name', value: 'ffk-http' }]);
    expect(containersOf(d)[0].ports?.[0].name).toBe('ffk-http');
    const failed = await statusOf(
      apps.patchNamespacedDeployment(
        {
          name: 'patched',
          namespace: 'default',
          body: [
            { op: 'test', path: '/metadata/resourceVersion', value: '1' },
            { op: 'remove', path: '/spec/replicas' },
          ],
        },
        json,
      ),
    );
    expect(failed).toMatchObject({ code: 422, message: 'testing value /metadata/resourceVersion failed: test failed' });

    // Server-side apply: create, update, and drop a field the manager no longer applies.
    const applied = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'ssa', namespace: 'default', labels: { a: '1', b: '2' } },
      data: { x: '1', y: '2' },
    };
    const first: V1ConfigMap = await objects.patch<V1ConfigMap>(applied, undefined, undefined, 'ffk-test', true, PatchStrategy.ServerSideApply);
    expect(first.metadata?.managedFields?.[0]).toMatchObject({ manager: 'ffk-test', operation: 'Apply' });
    const second = (await objects.patch(
      { ...applied, metadata: { ...applied.metadata, labels: { a: '1' } }, data: { x: '10' } },
      undefined,
      undefined,
      'ffk-test',
      true,
      PatchStrategy.ServerSideApply,
    )) as V1ConfigMap;
    expect(second.data).toEqual({ x: '10' });
    expect(second.metadata?.labels).toEqual({ a: '1' });
  });

  it('reads and writes the scale and status subresources', async () => {
    const scale = await apps.readNamespacedDeploymentScale({ name: 'patched', namespace: 'default' });
    expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 3 }, status: { selector: 'app=patched' } });
    await apps.replaceNamespacedDeploymentScale({ name: 'patched', namespace: 'default', body: { ...scale, spec: { replicas: 1 } } });
    expect((await apps.readNamespacedDeployment({ name: 'patched', namespace: 'default' })).spec?.replicas).toBe(1);
    // Status writes change status only (a Service: no controller or kubelet writes its status).
    const service = await core.readNamespacedService({ name: 'api', namespace: 'default' });
    await core.replaceNamespacedServiceStatus({
      name: 'api',
      namespace: 'default',
      body: { ...service, spec: { ...service.spec, type: 'NodePort' }, status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } } },
    });
    const after = await core.readNamespacedService({ name: 'api', namespace: 'default' });
    expect(after.status?.loadBalancer?.ingress).toEqual([{ ip: '127.0.0.1' }]);
    expect(after.spec?.type).toBe('ClusterIP');
  });

  it('lists with label and field selectors, across namespaces', async () => {
    await core.createNamespace({ body: { metadata: { name: 'sel' } } });
    for (const [name, labels] of [
      ['a', { tier: 'web', env: 'dev' }],
      ['b', { tier: 'db', env: 'dev' }],
      ['c', { tier: 'web' }],
    ] as const) {
      await core.createNamespacedConfigMap({ namespace: 'sel', body: { metadata: { name, labels } } });
    }
    const names = async (labelSelector?: string, fieldSelector?: string) =>
      (await core.listNamespacedConfigMap({ namespace: 'sel', labelSelector, fieldSelector })).items.map((i) => i.metadata?.name);
    expect(await names('tier=web')).toEqual(['a', 'c']);
    expect(await names('tier!=web')).toEqual(['b']);
    expect(await names('tier in (db,cache),env')).toEqual(['b']);
    expect(await names('!env')).toEqual(['c']);
    expect(await names(undefined, 'metadata.name=b')).toEqual(['b']);
    const all = await core.listConfigMapForAllNamespaces({ labelSelector: 'tier' });
    expect(all.items.map((i) => `${i.metadata?.namespace}/${i.metadata?.name}`)).toEqual(['sel/a', 'sel/b', 'sel/c']);
    expect((await core.listNamespace({ fieldSelector: 'status.phase=Active,metadata.name=sel' })).items).toHaveLength(1);
    expect((await core.listNamespace({ fieldSelector: 'status.phase=Terminating' })).items).toHaveLength(0);
  });

  it('streams watch events in order from a resourceVersion, with bookmarks on request', async () => {
    const from = defined((await core.listNamespacedConfigMap({ namespace: 'default' })).metadata?.resourceVersion, 'the list resourceVersion');
    const seen: string[] = [];
    const watch = new Watch(cluster.kc);
    const request = await watch.watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: from, allowWatchBookmarks: true },
      (type: string, object: V1ConfigMap) => seen.push(`${type} ${object.metadata?.name ?? ''}`),
      () => {},
    );
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'w1' } } });
    await core.patchNamespacedConfigMap(
      { name: 'w1', namespace: 'default', body: { data: { k: 'v' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await core.deleteNamespacedConfigMap({ name: 'w1', namespace: 'default' });
    await eventually(() => expect(seen.filter((e) => !e.startsWith('BOOKMARK'))).toEqual(['ADDED w1', 'MODIFIED w1', 'DELETED w1']));
    request.abort();
  });

  it('answers a compacted resourceVersion with 410 Expired, and an informer re-lists after it', async () => {
    let lists = 0;
    const informer = makeInformer<V1ConfigMap>(cluster.kc, '/api/v1/namespaces/informed/configmaps', () => {
      lists += 1;
      return core.listNamespacedConfigMap({ namespace: 'informed' });
    });
    await core.createNamespace({ body: { metadata: { name: 'informed' } } });
    await core.createNamespacedConfigMap({ namespace: 'informed', body: { metadata: { name: 'before' } } });
    await informer.start();
    expect(informer.list().map((c) => c.metadata?.name)).toEqual(['before']);
    // Push the informer's resourceVersion out of the 50-change history (with changes it does not
    // watch); its watch ends after 1 s and resumes from that resourceVersion.
    for (let i = 0; i < 60; i += 1) await core.createNamespacedSecret({ namespace: 'informed', body: { metadata: { name: `filler-${i}` } } });
    const expiredEvents: string[] = [];
    const watch = new Watch(cluster.kc);
    await watch.watch(
      '/api/v1/namespaces/informed/configmaps',
      { resourceVersion: '1' },
      (type: string, object: Status) => expiredEvents.push(`${type} ${object.code} ${object.reason}`),
      () => {},
    );
    await eventually(() => expect(expiredEvents).toEqual(['ERROR 410 Expired']));
    await eventually(() => expect(lists).toBeGreaterThanOrEqual(2), 10_000);
    await core.createNamespacedConfigMap({ namespace: 'informed', body: { metadata: { name: 'after' } } });
    await eventually(
      () =>
        expect(
          informer
            .list()
            .map((c) => c.metadata?.name)
            .sort(),
        ).toEqual(['after', 'before']),
      10_000,
    );
    await informer.stop();
  });

  it('runs Deployments through ReplicaSets to Pods, and garbage-collects them by propagation policy', async () => {
    await core.createNamespace({ body: { metadata: { name: 'gc' } } });
    const podsOf = async (app: string) => (await core.listNamespacedPod({ namespace: 'gc', labelSelector: `app=${app}` })).items;
    for (const name of ['bg', 'fg', 'orphan']) await apps.createNamespacedDeployment({ namespace: 'gc', body: deployment(name) });
    await eventually(async () => {
      for (const name of ['bg', 'fg', 'orphan']) expect(await podsOf(name)).toHaveLength(2);
    });
    const replicaSet = (await apps.listNamespacedReplicaSet({ namespace: 'gc', labelSelector: 'app=bg' })).items[0];
    expect(replicaSet.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'bg', controller: true });
    await eventually(async () =>
      expect((await apps.readNamespacedDeployment({ name: 'bg', namespace: 'gc' })).status).toMatchObject({
        replicas: 2,
        updatedReplicas: 2,
        observedGeneration: 1,
      }),
    );

    await apps.deleteNamespacedDeployment({ name: 'bg', namespace: 'gc', propagationPolicy: 'Background' });
    await apps.deleteNamespacedDeployment({ name: 'fg', namespace: 'gc', propagationPolicy: 'Foreground' });
    await apps.deleteNamespacedDeployment({ name: 'orphan', namespace: 'gc', propagationPolicy: 'Orphan' });
    await eventually(async () => {
      expect(await podsOf('bg')).toHaveLength(0);
      expect(await podsOf('fg')).toHaveLength(0);
      expect((await apps.listNamespacedDeployment({ namespace: 'gc' })).items).toHaveLength(0);
      const orphans = (await apps.listNamespacedReplicaSet({ namespace: 'gc' })).items;
      expect(orphans.map((rs) => rs.metadata?.labels?.app)).toEqual(['orphan']);
      expect(orphans[0].metadata?.ownerReferences).toBeUndefined();
    });
    expect(await podsOf('orphan')).toHaveLength(2);
  });

  it('deletes everything in a namespace with it, refusing new content meanwhile', async () => {
    await core.createNamespace({ body: { metadata: { name: 'doomed' } } });
    await apps.createNamespacedDeployment({ namespace: 'doomed', body: deployment('app') });
    await core.createNamespacedConfigMap({ namespace: 'doomed', body: { metadata: { name: 'cfg' } } });
    await core.deleteNamespace({ name: 'doomed' });
    await eventually(async () => expect((await statusOf(core.readNamespace({ name: 'doomed' }))).code).toBe(404));
    expect((await core.listPodForAllNamespaces({ fieldSelector: 'metadata.namespace=doomed' })).items).toHaveLength(0);
    const missing = await statusOf(core.createNamespacedConfigMap({ namespace: 'doomed', body: { metadata: { name: 'late' } } }));
    expect(missing).toMatchObject({ code: 404, reason: 'NotFound', details: { name: 'doomed', kind: 'namespaces' } });
  });
});
