// kubectl's typed-client commands send protobuf bodies (`kubectl create namespace|configmap|
// secret|deployment|service|serviceaccount`, `kubectl debug --copy-to`); the rest of its writes
// send JSON or patches. Each command below must create what kubectl meant, as a learner types it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigMap, Deployment, Pod, Service } from '../../src/runtime/kube-types';
import type { KubeObject } from '../../src/store/types';
import { parseJson } from '../../src/testing/json';
import { startCluster, type Status, type TestCluster } from './helpers';

/** A Secret as these tests read it. */
interface SecretAnswer {
  type: string;
  data: Record<string, string>;
}

describe('kubectl commands that send protobuf', () => {
  let cluster: TestCluster;
  let dir: string;

  const ok = (...args: string[]) => cluster.kubectlOk(...args);
  const getJson = async <T>(...args: string[]) => parseJson<T>(await ok('get', ...args, '-o', 'json'));
  const base64 = (text: string) => Buffer.from(text).toString('base64');

  /** POSTs raw bytes as protobuf, the way a broken client would. */
  const postProtobuf = async (path: string, body: Buffer) => {
    const options: Parameters<typeof request>[1] = { method: 'POST', headers: { 'content-type': 'application/vnd.kubernetes.protobuf' } };
    await cluster.kc.applyToHTTPSOptions(options);
    return new Promise<{ code: number; status: Status }>((resolve, reject) => {
      const req = request(new URL(path, cluster.sim.url), options, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, status: parseJson<Status>(text) }));
      });
      req.on('error', reject);
      req.end(body);
    });
  };

  beforeAll(async () => {
    cluster = await startCluster({ runtime: false });
    dir = mkdtempSync(join(tmpdir(), 'kube-sim-protobuf-'));
  });
  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('creates a namespace and a service account', async () => {
    expect(await ok('create', 'namespace', 'shop')).toBe('namespace/shop created\n');
    expect((await getJson<{ status: { phase: string } }>('namespace', 'shop')).status.phase).toBe('Active');
    expect(await ok('create', 'serviceaccount', 'builder', '-n', 'shop')).toBe('serviceaccount/builder created\n');
    expect((await getJson<KubeObject>('serviceaccount', 'builder', '-n', 'shop')).metadata).toMatchObject({ name: 'builder', namespace: 'shop' });
  });

  it('creates ConfigMaps (text and binary) and Secrets (generic, docker-registry)', async () => {
    writeFileSync(join(dir, 'blob.bin'), Buffer.from([0xff, 0x00, 0xfe]));
    await ok('create', 'configmap', 'settings', '--from-literal=mode=fast', '--from-literal=empty=', `--from-file=${join(dir, 'blob.bin')}`);
    const settings = await getJson<ConfigMap>('configmap', 'settings');
    expect(settings.data).toEqual({ mode: 'fast', empty: '' });
    expect(settings.binaryData).toEqual({ 'blob.bin': Buffer.from([0xff, 0x00, 0xfe]).toString('base64') });

    await ok('create', 'secret', 'generic', 's', '--from-literal=a=b');
    expect(await getJson<SecretAnswer>('secret', 's')).toMatchObject({ type: 'Opaque', data: { a: base64('b') } });

    await ok('create', 'secret', 'docker-registry', 'reg', '--docker-server=registry.example', '--docker-username=u', '--docker-password=p');
    const reg = await getJson<SecretAnswer>('secret', 'reg');
    expect(reg.type).toBe('kubernetes.io/dockerconfigjson');
    const dockerConfig = parseJson<{ auths: Record<string, unknown> }>(Buffer.from(reg.data['.dockerconfigjson'], 'base64').toString());
    expect(dockerConfig.auths['registry.example']).toMatchObject({
      username: 'u',
      password: 'p',
    });
  });

  it('creates Deployments with replicas (0 included), selector, image and port', async () => {
    expect(await ok('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=80')).toBe('deployment.apps/web created\n');
    const { spec } = await getJson<Deployment>('deployment', 'web');
    expect(spec.replicas).toBe(2);
    expect(spec.selector).toEqual({ matchLabels: { app: 'web' } });
    expect(spec.template.metadata?.labels).toEqual({ app: 'web' });
    expect(spec.template.spec.containers).toMatchObject([{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }] }]);

    await ok('create', 'deployment', 'idle', '--image=busybox:1.36', '--replicas=0');
    expect((await getJson<Deployment>('deployment', 'idle')).spec.replicas).toBe(0);
  });

  it('creates Services with numeric and named target ports, and exposes a Deployment', async () => {
    await ok('create', 'service', 'clusterip', 'api', '--tcp=80:8080');
    const api = (await getJson<Service>('service', 'api')).spec;
    expect(api).toMatchObject({ type: 'ClusterIP', selector: { app: 'api' }, ports: [{ name: '80-8080', port: 80, targetPort: 8080, protocol: 'TCP' }] });
    expect(api.clusterIP).toMatch(/^10\.\d+\.\d+\.\d+$/);

    await ok('create', 'service', 'nodeport', 'front', '--tcp=80:http', '--node-port=30081');
    expect((await getJson<Service>('service', 'front')).spec).toMatchObject({ type: 'NodePort', ports: [{ port: 80, targetPort: 'http', nodePort: 30081 }] });

    await ok('expose', 'deployment', 'web', '--port=80', '--target-port=8080');
    expect((await getJson<Service>('service', 'web')).spec).toMatchObject({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] });
  });

  it('runs a pod with args, then edits the Deployment with set image, set env, rollout restart and scale', async () => {
    await ok('run', 'p', '--image=busybox', '--', 'sleep', '1');
    expect((await getJson<Pod>('pod', 'p')).spec.containers[0]).toMatchObject({ name: 'p', image: 'busybox', args: ['sleep', '1'] });

    await ok('set', 'image', 'deployment/web', 'nginx=nginx:1.28');
    await ok('set', 'env', 'deployment/web', 'MODE=fast');
    await ok('rollout', 'restart', 'deployment/web');
    await ok('scale', 'deployment/web', '--replicas=0');
    const { spec } = await getJson<Deployment>('deployment', 'web');
    expect(spec.replicas).toBe(0);
    expect(spec.template.spec.containers[0]).toMatchObject({ image: 'nginx:1.28', env: [{ name: 'MODE', value: 'fast' }] });
    expect(spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeTruthy();
  });

  it('keeps every common PodSpec field through protobuf (kubectl debug --copy-to re-sends the whole pod)', async () => {
    writeFileSync(join(dir, 'rich.yaml'), RICH_POD);
    await ok('apply', '-f', join(dir, 'rich.yaml'));
    await ok('debug', 'rich', '--copy-to=rich-copy', '--image=busybox:1.36', '--container=debugger');
    const original = (await getJson<Pod>('pod', 'rich')).spec;
    const copy = (await getJson<Pod>('pod', 'rich-copy')).spec;
    expect(copy.containers.map((c) => c.name)).toEqual(['app', 'debugger']);
    expect({ ...copy, containers: copy.containers.slice(0, 1) }).toEqual(original);
  });

  it('answers a malformed protobuf body with a 400 Status, an unserved kind with 415, and keeps serving', async () => {
    const truncated = Buffer.from([
      0x6b,
      0x38,
      0x73,
      0x00,
      0x0a,
      0x0c,
      0x0a,
      0x02,
      0x76,
      0x31,
      0x12,
      0x06,
      ...Buffer.from('Secret'),
      0x12,
      0x05,
      0x0a,
      0x03,
      0x0a,
      0x30,
      0x0a,
    ]);
    const broken = await postProtobuf('/api/v1/namespaces/default/secrets', truncated);
    expect(broken.code).toBe(400);
    expect(broken.status).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
      message: 'the request body could not be decoded: metadata: truncated field 1',
    });
    const notProtobuf = await postProtobuf('/api/v1/namespaces/default/configmaps', Buffer.from('{"kind":"ConfigMap"}'));
    expect(notProtobuf.status.message).toBe('the request body could not be decoded: missing the k8s protobuf prefix');
    const job = Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x0f, 0x0a, 0x08, ...Buffer.from('batch/v1'), 0x12, 0x03, ...Buffer.from('Job'), 0x12, 0x00]);
    const unserved = await postProtobuf('/api/v1/namespaces/default/configmaps', job);
    expect(unserved.code).toBe(415);
    expect(unserved.status.message).toBe('kube-sim decodes protobuf bodies of the kinds it serves only, not batch/v1/Job: send it as JSON or YAML');
    expect(await ok('get', 'namespace', 'default', '-o', 'name')).toBe('namespace/default\n');
  });
});

/** A pod with the PodSpec fields learners and the kit's manifests use, in canonical form. */
const RICH_POD = `
apiVersion: v1
kind: Pod
metadata: {name: rich, labels: {app: rich}}
spec:
  restartPolicy: OnFailure
  terminationGracePeriodSeconds: 0
  dnsPolicy: Default
  serviceAccountName: default
  enableServiceLinks: false
  automountServiceAccountToken: false
  securityContext: {runAsUser: 0, runAsNonRoot: false, fsGroup: 2000}
  tolerations: [{key: k, operator: Exists, effect: NoSchedule, tolerationSeconds: 0}]
  nodeSelector: {disk: ssd}
  volumes:
  - {name: cfg, configMap: {name: settings, items: [{key: mode, path: mode.txt, mode: 0400}], defaultMode: 0644, optional: true}}
  - {name: sec, secret: {secretName: s, optional: false}}
  - {name: scratch, emptyDir: {medium: Memory, sizeLimit: 64Mi}}
  - {name: meta, downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}}
  initContainers:
  - {name: init, image: busybox:1.36, command: [sh, -c, "true"]}
  containers:
  - name: app
    image: ffk/web:1.0
    imagePullPolicy: IfNotPresent
    command: [node]
    args: [server.js, --port, "8080", ""]
    workingDir: /app
    ports: [{name: http, containerPort: 8080, protocol: TCP}, {containerPort: 9090, hostPort: 9091, protocol: UDP}]
    env:
    - {name: PLAIN, value: hello}
    - {name: FROM_SECRET, valueFrom: {secretKeyRef: {name: s, key: a, optional: true}}}
    - {name: FROM_CM, valueFrom: {configMapKeyRef: {name: settings, key: mode}}}
    - {name: POD_NAME, valueFrom: {fieldRef: {apiVersion: v1, fieldPath: metadata.name}}}
    - {name: CPU, valueFrom: {resourceFieldRef: {containerName: app, resource: limits.cpu, divisor: 1m}}}
    envFrom: [{prefix: CM_, configMapRef: {name: settings, optional: true}}, {secretRef: {name: s}}]
    resources: {limits: {cpu: 500m, memory: 128Mi}, requests: {cpu: 100m, memory: 64Mi}}
    readinessProbe: {httpGet: {path: /readyz, port: http, httpHeaders: [{name: X-Probe, value: "1"}]}, initialDelaySeconds: 1, periodSeconds: 2, failureThreshold: 3}
    livenessProbe: {tcpSocket: {port: 8080}, timeoutSeconds: 5}
    startupProbe: {exec: {command: [cat, /tmp/ok]}, terminationGracePeriodSeconds: 0}
    lifecycle: {preStop: {sleep: {seconds: 5}}, postStart: {httpGet: {port: 8080, path: /}}}
    volumeMounts: [{name: cfg, mountPath: /cfg, readOnly: true}, {name: scratch, mountPath: /tmp, subPath: x}]
    securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsUser: 1000, capabilities: {drop: [ALL]}, seccompProfile: {type: RuntimeDefault}}
    stdin: true
    tty: true
`;
