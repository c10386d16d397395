// Validation answers worded as kube-apiserver 1.32's, checked through kubectl 1.32 and raw HTTP.
// The expected texts were taken from kube-apiserver's source: pkg/registry/core/service/storage/
// alloc.go (a node port or ClusterIP that cannot be allocated: field.Invalid on
// spec.ports[i].nodePort / spec.clusterIPs with the allocator's error, errors.NewInvalid with the
// Service's name), pkg/apis/core/validation/validation.go (ValidateSecret's per-type keys,
// ValidateService), apimachinery's util/validation/field (ErrorBody) and api/errors (NewInvalid),
// and kubectl's cmd/util/helpers.go (checkErr: `The <kind> "<name>" is invalid: …`, one cause per
// line after `* ` when there are several). Quantities: apimachinery/pkg/api/resource (canonical form).
import { defined } from '@ffk/test-kit/defined';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Status, type TestCluster } from './helpers';

const nodePortService = (name: string, nodePort: number) => `
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: checks }
spec:
  type: NodePort
  selector: { app: web }
  ports: [{ port: 80, targetPort: 8080, nodePort: ${nodePort} }]
`;

describe('validation answers as kube-apiserver words them', { timeout: 60_000 }, () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startCluster({ runtime: false });
    await cluster.kubectlOk('create', 'namespace', 'checks');
  });
  afterAll(() => cluster?.stop());

  it('names the Service and the port index when its node port is taken', async () => {
    expect((await cluster.kubectl(['apply', '-f', '-'], nodePortService('web', 30080))).code).toBe(0);
    const taken = await cluster.kubectl(['apply', '-f', '-'], nodePortService('shop', 30080));
    expect(taken.code).not.toBe(0);
    expect(taken.stderr.trim()).toBe('The Service "shop" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');

    const outside = await cluster.raw('POST', '/api/v1/namespaces/checks/services', {
      body: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'far' },
        spec: {
          type: 'NodePort',
          ports: [
            { name: 'a', port: 80 },
            { name: 'b', port: 81, nodePort: 40000 },
          ],
        },
      },
    });
    expect(outside.status).toBe(422);
    // What the failed create took for its first port is given back: that port can be had.
    const nodePort = await cluster.kubectlOk('get', 'svc', 'web', '-n', 'checks', '-o', 'jsonpath={.spec.ports[0].nodePort}');
    const took = Number(defined(/(\d+)/.exec(nodePort), `a node port in ${JSON.stringify(nodePort)}`)[1]);
    expect(took).toBe(30080);
    const free = await cluster.raw('POST', '/api/v1/namespaces/checks/services', {
      body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'next' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30000 }] } },
    });
    expect(free.status).toBe(201);
    expect(outside.json()).toMatchObject({
      reason: 'Invalid',
      message:
        'Service "far" is invalid: spec.ports[1].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767',
      details: {
        name: 'far',
        kind: 'Service',
        causes: [
          {
            reason: 'FieldValueInvalid',
            field: 'spec.ports[1].nodePort',
            message: 'Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767',
          },
        ],
      },
    });
  });

  it('names the Service when its ClusterIP is outside the range', async () => {
    const result = await cluster.raw('POST', '/api/v1/namespaces/checks/services', {
      body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'addr' }, spec: { clusterIP: '192.168.0.1', ports: [{ port: 80 }] } },
    });
    expect(result.json<Status>().message).toBe(
      'Service "addr" is invalid: spec.clusterIPs: Invalid value: []string{"192.168.0.1"}: failed to allocate IP 192.168.0.1: the provided IP (192.168.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
  });

  it('lists every cause of a Secret whose type lacks its keys, one per line in kubectl', async () => {
    const secret = (type: string, data: string) => `
apiVersion: v1
kind: Secret
metadata: { name: creds, namespace: checks }
type: ${type}
${data}
`;
    const basic = await cluster.kubectl(['create', '-f', '-'], secret('kubernetes.io/basic-auth', 'stringData: { token: x }'));
    expect(basic.stderr.trim()).toBe('The Secret "creds" is invalid: \n* data[username]: Required value\n* data[password]: Required value');
    const tls = await cluster.raw('POST', '/api/v1/namespaces/checks/secrets', {
      body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cert' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': 'x' } },
    });
    expect(tls.json()).toMatchObject({
      message: 'Secret "cert" is invalid: data[tls.key]: Required value',
      details: { causes: [{ reason: 'FieldValueRequired', field: 'data[tls.key]' }] },
    });
    const docker = await cluster.raw('POST', '/api/v1/namespaces/checks/secrets', {
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'pull' },
        type: 'kubernetes.io/dockerconfigjson',
        stringData: { '.dockerconfigjson': '[1]' },
      },
    });
    expect(docker.json<Status>().message).toBe(
      'Secret "pull" is invalid: data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": json: cannot unmarshal array into Go value of type map[string]interface {}',
    );
    expect((await cluster.kubectl(['create', '-f', '-'], secret('kubernetes.io/basic-auth', 'stringData: { username: me }'))).code).toBe(0);
    expect(
      (
        await cluster.kubectl([
          'create',
          'secret',
          'docker-registry',
          'reg',
          '-n',
          'checks',
          '--docker-server=r.example',
          '--docker-username=u',
          '--docker-password=p',
        ])
      ).code,
    ).toBe(0);
  });

  it('stores quantities in canonical form: cpu "0.1" reads back 100m', async () => {
    const pod = `
apiVersion: v1
kind: Pod
metadata: { name: sized, namespace: checks }
spec:
  containers:
    - name: app
      image: nginx:1.27
      resources:
        requests: { cpu: "0.1", memory: 0.5Gi }
        limits: { cpu: 1000m, memory: 1024Mi }
`;
    expect((await cluster.kubectl(['apply', '-f', '-'], pod)).code).toBe(0);
    const resources: unknown = JSON.parse(await cluster.kubectlOk('get', 'pod', 'sized', '-n', 'checks', '-o', 'jsonpath={.spec.containers[0].resources}'));
    expect(resources).toEqual({ requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } });
    const bad = await cluster.kubectl(['apply', '-f', '-'], pod.replace('"0.1"', '"a lot"'));
    expect(bad.stderr).toContain("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  });
});
