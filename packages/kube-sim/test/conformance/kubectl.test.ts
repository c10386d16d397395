// Conformance with kubectl 1.32 as a subprocess: what a person at a terminal sees.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { DeploymentObject } from '../../src/registry/kinds';
import type { Deployment, Pod } from '../../src/runtime/kube-types';
import { parseJson } from '../../src/testing/json';
import { eventually, startCluster, type TestCluster } from './helpers';

const overlay = fileURLToPath(new URL('../../../../k8s/overlays/kind', import.meta.url));

describe('kubectl against kube-sim', () => {
  let cluster: TestCluster;
  let dir: string;

  const ok = (...args: string[]) => cluster.kubectlOk(...args);

  beforeAll(async () => {
    // The API alone: these checks are about what kubectl sees, not about running the pods.
    cluster = await startCluster({ runtime: false });
    dir = mkdtempSync(join(tmpdir(), 'kube-sim-kubectl-'));
  });
  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the server version', async () => {
    const version = parseJson<{ serverVersion: unknown }>(await ok('version', '-o', 'json'));
    expect(version.serverVersion).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.0-ffk-sim' });
  });

  it('refuses a wrong token', async () => {
    const result = await cluster.kubectl(['--token', 'wrong', 'get', 'namespaces']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('the server has asked for the client to provide credentials');
  });

  it('applies the kind overlay, and a second apply changes nothing', async () => {
    const first = await ok('apply', '-k', overlay);
    const created = first.trim().split('\n');
    expect(created.length).toBeGreaterThanOrEqual(8);
    expect(created.every((line) => / (created|configured)$/.test(line))).toBe(true);
    expect(first).toContain('deployment.apps/catalog created');
    const versions = await ok('get', 'deploy,svc,cm,secret', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.resourceVersion} {end}');

    const second = (await ok('apply', '-k', overlay)).trim().split('\n');
    expect(second.filter((line) => !line.endsWith(' unchanged'))).toEqual([]);
    expect(second).toHaveLength(created.length);
    expect(await ok('get', 'deploy,svc,cm,secret', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.resourceVersion} {end}')).toBe(versions);
  });

  it('gets tables, yaml and json, and describes', async () => {
    const table = await ok('get', 'deployments');
    expect(table.split('\n')[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
    expect(table).toMatch(/\ncatalog\s+0\/\d+\s+\d+\s+0\s+\d+s/);
    const services = await ok('get', 'services', '-o', 'wide');
    expect(services.split('\n')[0]).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR$/);
    expect(services).toMatch(/\nweb\s+NodePort\s+10\.\d+\.\d+\.\d+\s+<none>\s+80:30080\/TCP/);

    const deployment = parse(await ok('get', 'deployment', 'catalog', '-o', 'yaml')) as DeploymentObject;
    expect(deployment).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'catalog', namespace: 'default', generation: 1 } });
    expect(deployment.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toContain('"name":"catalog"');
    expect(deployment.spec?.template?.spec?.containers?.[0].terminationMessagePolicy).toBe('File');
    const list = parseJson<{ kind: string; items: Pod[] }>(await ok('get', 'pods', '-l', 'app.kubernetes.io/name=catalog', '-o', 'json'));
    expect(list.kind).toBe('List');
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((pod) => pod.metadata.ownerReferences?.[0].kind === 'ReplicaSet')).toBe(true);

    const described = await ok('describe', 'deployment', 'catalog');
    expect(described).toMatch(/^Name:\s+catalog$/m);
    expect(described).toMatch(/^StrategyType:\s+RollingUpdate$/m);
    expect(described).toMatch(/^NewReplicaSet:\s+catalog-\w+ \(\d+\/\d+ replicas created\)$/m);
    expect(await ok('describe', 'service', 'web')).toMatch(/^NodePort:\s+\S+\s+30080\/TCP$/m);
  });

  it('explains fields from the OpenAPI schema', async () => {
    const explained = await ok('explain', 'deployment.spec.replicas');
    expect(explained).toContain('FIELD: replicas <integer>');
    expect(explained).toContain('Number of desired pods');
  });

  it('applies an edited manifest, and rejects unknown fields', async () => {
    const manifest = (await ok('kustomize', overlay)).replace(/image: ffk\/catalog:0\.1\.0/, 'image: ffk/catalog:0.2.0');
    writeFileSync(join(dir, 'edited.yaml'), manifest);
    const applied = await ok('apply', '-f', join(dir, 'edited.yaml'));
    expect(applied).toContain('deployment.apps/catalog configured');
    expect(applied).toContain('deployment.apps/web unchanged');
    expect(await ok('get', 'deploy', 'catalog', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.metadata.generation}')).toBe('ffk/catalog:0.2.0 2');

    writeFileSync(join(dir, 'typo.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typo\ndtaa:\n  a: "1"\n');
    const rejected = await cluster.kubectl(['apply', '-f', join(dir, 'typo.yaml')]);
    expect(rejected.code).not.toBe(0);
    expect(rejected.stderr).toContain('unknown field "dtaa"');
  });

  it('labels, annotates, scales and patches (json, merge, strategic)', async () => {
    expect(await ok('label', 'deployment', 'web', 'team=shop')).toContain('deployment.apps/web labeled');
    expect(await ok('annotate', 'deployment', 'web', 'owner=labs')).toContain('deployment.apps/web annotated');
    expect(await ok('get', 'deploy', 'web', '-o', 'jsonpath={.metadata.labels.team} {.metadata.annotations.owner}')).toBe('shop labs');

    expect(await ok('scale', 'deployment', 'web', '--replicas=3')).toContain('deployment.apps/web scaled');
    await ok('wait', '--for=jsonpath={.status.replicas}=3', 'deployment/web', '--timeout=10s');
    expect((await ok('get', 'pods', '-l', 'app.kubernetes.io/name=web', '-o', 'name')).trim().split('\n')).toHaveLength(3);

    await ok('patch', 'deployment', 'web', '--type', 'merge', '-p', '{"spec":{"revisionHistoryLimit":3}}');
    await ok('patch', 'deployment', 'web', '--type', 'json', '-p', '[{"op":"add","path":"/metadata/labels/patched","value":"json"}]');
    await ok(
      'patch',
      'deployment',
      'web',
      '--type',
      'strategic',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"EXTRA","value":"yes"}]}]}}}}',
    );
    const web = parseJson<Deployment>(await ok('get', 'deployment', 'web', '-o', 'json'));
    expect(web.spec.revisionHistoryLimit).toBe(3);
    expect(web.metadata.labels?.patched).toBe('json');
    const env = web.spec.template.spec.containers[0].env?.map((e) => e.name) ?? [];
    expect(env).toContain('EXTRA');
    expect(env.length).toBeGreaterThan(1); // merged into the existing list, not replacing it
  });

  it('sees a change with get --watch', async () => {
    await ok('create', 'configmap', 'watched', '--from-literal=v=1');
    const watcher = spawn('kubectl', [
      '--kubeconfig',
      cluster.sim.kubeconfigPath,
      'get',
      'configmap',
      'watched',
      '--watch',
      '-o',
      'custom-columns=NAME:.metadata.name,V:.data.v',
      '--no-headers',
    ]);
    let output = '';
    watcher.stdout.on('data', (chunk) => (output += chunk));
    try {
      await eventually(() => expect(output).toMatch(/watched\s+1/), 10_000);
      await ok('patch', 'configmap', 'watched', '--type', 'merge', '-p', '{"data":{"v":"2"}}');
      await eventually(() => expect(output).toMatch(/watched\s+2/), 10_000);
    } finally {
      watcher.kill();
    }
  });

  it('waits for a jsonpath condition', async () => {
    const waiting = cluster.kubectl(['wait', '--for=jsonpath={.data.ready}=yes', 'configmap/watched', '--timeout=10s']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await ok('patch', 'configmap', 'watched', '--type', 'merge', '-p', '{"data":{"ready":"yes"}}');
    const result = await waiting;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('configmap/watched condition met');
  });

  it('deletes, cascading to ReplicaSets and Pods', async () => {
    expect(await ok('delete', 'deployment', 'inventory')).toContain('deployment.apps "inventory" deleted');
    const missing = await cluster.kubectl(['get', 'deployment', 'inventory']);
    expect(missing.stderr).toContain('Error from server (NotFound): deployments.apps "inventory" not found');
    await eventually(async () => expect(await ok('get', 'rs,pods', '-l', 'app.kubernetes.io/name=inventory', '-o', 'name')).toBe(''));
  });
});
