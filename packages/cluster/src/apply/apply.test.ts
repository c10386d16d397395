import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyKustomize, applyManifests, type ClusterError, parseManifests } from '../index';
import { type SimCluster, startSimCluster } from '../testing/sim-cluster';

let sim: SimCluster;
const dir = mkdtempSync(join(tmpdir(), 'ffk-cluster-apply-'));
beforeAll(async () => {
  sim = await startSimCluster();
});
afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const manifests = (replicas: number) => `
apiVersion: v1
kind: Service
metadata: { name: catalog, labels: { app: catalog } }
spec:
  selector: { app: catalog }
  ports: [{ name: http, port: 80, targetPort: http }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: catalog, labels: { app: catalog } }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: catalog } }
  template:
    metadata: { labels: { app: catalog } }
    spec:
      containers:
        - name: catalog
          image: ffk/catalog:1
          ports: [{ name: http, containerPort: 3000 }]
---
apiVersion: v1
kind: ConfigMap
metadata: { name: catalog-config }
data: { LOG_LEVEL: info }
`;

it('applies objects server-side in dependency order and reports created, then unchanged, then configured', async () => {
  const cluster = await sim.in('apply-list');
  const first = await applyManifests(cluster, parseManifests(manifests(1), 'catalog.yaml'));
  expect(first.map((r) => `${r.name} ${r.action}`)).toEqual(['configmap/catalog-config created', 'service/catalog created', 'deployment.apps/catalog created']);
  const again = await applyManifests(cluster, parseManifests(manifests(1), 'catalog.yaml'));
  expect(again.map((r) => r.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  const edited = await applyManifests(cluster, parseManifests(manifests(2), 'catalog.yaml'));
  expect(edited.map((r) => `${r.name} ${r.action}`)).toEqual([
    'configmap/catalog-config unchanged',
    'service/catalog unchanged',
    'deployment.apps/catalog configured',
  ]);
  // kubectl sees what we applied, owned by our field manager.
  expect(await sim.kubectl('-n', 'apply-list', 'get', 'deployment', 'catalog', '-o', 'jsonpath={.spec.replicas}')).toBe('2');
  expect(
    await sim.kubectl('-n', 'apply-list', 'get', 'deployment', 'catalog', '--show-managed-fields', '-o', 'jsonpath={.metadata.managedFields[*].manager}'),
  ).toContain('ffk');
});

it('renders a kustomize directory with kubectl and applies it, twice', async () => {
  const cluster = await sim.in('apply-kustomize');
  writeFileSync(join(dir, 'catalog.yaml'), manifests(1));
  writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [catalog.yaml]\nnamespace: apply-kustomize\ncommonLabels: { part-of: shop }\n');
  const first = await applyKustomize(cluster, dir);
  expect(first.map((r) => r.action)).toEqual(['created', 'created', 'created']);
  expect(first.every((r) => r.namespace === 'apply-kustomize')).toBe(true);
  expect((await applyKustomize(cluster, dir)).map((r) => r.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  expect(await sim.kubectl('-n', 'apply-kustomize', 'get', 'service', 'catalog', '-o', 'jsonpath={.metadata.labels.part-of}')).toBe('shop');
});

it('explains bad input in one line: invalid YAML, a missing kind, a kind the server does not serve, a broken kustomization', async () => {
  const cluster = await sim.in('apply-errors');
  expect(() => parseManifests('kind: [oops', 'bad.yaml')).toThrow(/^bad.yaml: invalid YAML in document 1: /);
  expect(() => parseManifests('apiVersion: v1\nmetadata: { name: x }\n', 'nokind.yaml')).toThrow(
    'nokind.yaml: document 1 has no kind; every object needs apiVersion, kind and metadata.name',
  );
  const unknown = parseManifests('apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\n', 'widget.yaml');
  await expect(applyManifests(cluster, unknown)).rejects.toThrow(
    'the API server does not serve example.com/v1 Widget (widget.example.com/w): is its CRD installed, or is the apiVersion misspelled?',
  );
  const broken = mkdtempSync(join(dir, 'broken-'));
  writeFileSync(join(broken, 'kustomization.yaml'), 'resources: [missing.yaml]\n');
  const error = (await applyKustomize(cluster, broken).catch((e: unknown) => e)) as ClusterError;
  expect(error.kind).toBe('kustomize');
  expect(error.message).toMatch(new RegExp(`^kubectl kustomize ${broken} failed: .*missing.yaml`));
  expect(error.message).not.toContain('\n');
});
