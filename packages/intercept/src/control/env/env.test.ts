// The environment a local process gets: resolved from the cluster like the kubelet does, with
// cluster host names pointed at local listeners.
import { readDeployment } from '@ffk/cluster';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listServices } from '../services';
import { type ControlSim, startControlSim } from '../testing/sim';
import { distinctTargets, findClusterHosts, rewriteHosts, type ServiceLookup, serviceOf } from './cluster-hosts';
import { importContainerEnv } from './container-env';
import { formatEnvFile } from './env-file';

const manifests = `
apiVersion: v1
kind: ConfigMap
metadata: { name: shop-config }
data: { LOG_LEVEL: debug, FEATURE_X: "on", "1st": x }
---
apiVersion: v1
kind: Secret
metadata: { name: db }
stringData: { DATABASE_URL: "postgres://ffk:pw@postgres:5432/ffk", PASSWORD: "s3cret" }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: catalog }
spec:
  selector: { matchLabels: { app: catalog } }
  template:
    metadata: { labels: { app: catalog, team: blue } }
    spec:
      serviceAccountName: catalog-sa
      containers:
        - name: catalog
          image: ffk/catalog:1
          envFrom:
            - configMapRef: { name: shop-config }
            - secretRef: { name: db }
              prefix: DB_
            - configMapRef: { name: not-there, optional: true }
          env:
            - { name: PORT, value: "3000" }
            - { name: LOG_LEVEL, value: info }
            - { name: INVENTORY_URL, value: "http://inventory" }
            - { name: SEARCH, value: "search.tools:9200,inventory.default.svc.cluster.local:80" }
            - { name: CALLBACK, value: "http://$(POD_NAMESPACE).example.com/$$HOME" }
            - { name: POD_NAMESPACE, valueFrom: { fieldRef: { fieldPath: metadata.namespace } } }
            - { name: LATE, value: "ns=$(POD_NAMESPACE) team=$(TEAM)" }
            - { name: TEAM, valueFrom: { fieldRef: { fieldPath: "metadata.labels['team']" } } }
            - { name: POD_NAME, valueFrom: { fieldRef: { fieldPath: metadata.name } } }
            - { name: SA, valueFrom: { fieldRef: { fieldPath: spec.serviceAccountName } } }
            - { name: DATABASE_URL, valueFrom: { secretKeyRef: { name: db, key: DATABASE_URL } } }
            - { name: OPTIONAL, valueFrom: { configMapKeyRef: { name: shop-config, key: nope, optional: true } } }
---
apiVersion: v1
kind: Service
metadata: { name: inventory }
spec: { selector: { app: inventory }, ports: [{ port: 80, targetPort: 3001 }] }
---
apiVersion: v1
kind: Service
metadata: { name: postgres }
spec: { selector: { app: postgres }, ports: [{ port: 5432 }] }
`;

describe('env import', () => {
  let sim: ControlSim;
  beforeAll(async () => {
    sim = await startControlSim({ pods: false });
    await sim.apply(manifests);
  });
  afterAll(() => sim?.stop());

  it('resolves literal values, ConfigMap and Secret references, envFrom with prefix and fieldRefs as the kubelet does', async () => {
    const access = sim.access();
    const { env, skipped } = await importContainerEnv(access, await readDeployment(access, 'catalog'), 'catalog');
    expect(env).toMatchObject({
      PORT: '3000',
      LOG_LEVEL: 'info', // env wins over envFrom
      FEATURE_X: 'on',
      DB_DATABASE_URL: 'postgres://ffk:pw@postgres:5432/ffk',
      DB_PASSWORD: 's3cret',
      DATABASE_URL: 'postgres://ffk:pw@postgres:5432/ffk',
      POD_NAMESPACE: 'default',
      // $(VAR) is expanded only from variables defined before it; $$ escapes.
      CALLBACK: 'http://$(POD_NAMESPACE).example.com/$HOME',
      LATE: 'ns=default team=$(TEAM)',
      TEAM: 'blue',
      SA: 'catalog-sa',
    });
    expect(env).not.toHaveProperty('POD_NAME');
    expect(env).not.toHaveProperty('OPTIONAL');
    expect(skipped.map((s) => s.name).sort()).toEqual(['1st', 'POD_NAME']);
  });

  it('says which Secret is missing and who needs it', async () => {
    await sim.apply(
      manifests
        .replace('name: catalog }', 'name: broken }')
        .replace('app: catalog', 'app: broken')
        .replace('app: catalog', 'app: broken')
        .replace('secretRef: { name: db }', 'secretRef: { name: gone }'),
    );
    const access = sim.access();
    await expect(importContainerEnv(access, await readDeployment(access, 'broken'), 'catalog')).rejects.toThrow(
      'secret "gone" not found in namespace "default" (container catalog of deployment broken reads it): create it, or the pods cannot start either',
    );
  });

  it('rewrites Service host names in URLs and host:port lists to local listeners, and leaves other hosts alone', async () => {
    const access = sim.access();
    const { env } = await importContainerEnv(access, await readDeployment(access, 'catalog'), 'catalog');
    const services = await listServices(access);
    const lookup: ServiceLookup = (name, ns) =>
      Promise.resolve(ns === 'default' ? services.find((s) => s.metadata?.name === name)?.spec?.ports?.map((p) => p.port) : undefined);
    const uses = await findClusterHosts(env, 'default', lookup);
    const targets = distinctTargets(uses).sort((a, b) => a.service.localeCompare(b.service));
    expect(targets).toEqual([
      { service: 'inventory', namespace: 'default', port: 80 },
      { service: 'postgres', namespace: 'default', port: 5432 },
    ]);
    const local = (t: { service: string }) => (t.service === 'inventory' ? 41001 : 41002);
    const rewritten = rewriteHosts(env, uses, local);
    expect(rewritten.INVENTORY_URL).toBe('http://127.0.0.1:41001');
    expect(rewritten.DATABASE_URL).toBe('postgres://ffk:pw@127.0.0.1:41002/ffk');
    expect(rewritten.DB_DATABASE_URL).toBe('postgres://ffk:pw@127.0.0.1:41002/ffk');
    // search.tools is not a Service here (no such namespace): unchanged; the FQDN one is rewritten.
    expect(rewritten.SEARCH).toBe('search.tools:9200,127.0.0.1:41001');
    expect(rewritten.CALLBACK).toBe(env.CALLBACK);
  });

  it('knows the cluster DNS forms of a Service name', () => {
    expect(serviceOf('inventory', 'shop')).toEqual({ service: 'inventory', namespace: 'shop' });
    expect(serviceOf('inventory.other', 'shop')).toEqual({ service: 'inventory', namespace: 'other' });
    expect(serviceOf('inventory.other.svc', 'shop')).toEqual({ service: 'inventory', namespace: 'other' });
    expect(serviceOf('inventory.other.svc.cluster.local', 'shop')).toEqual({ service: 'inventory', namespace: 'other' });
    expect(serviceOf('example.com.au', 'shop')).toBeUndefined();
  });

  it('writes an env file that Node reads back unchanged', async () => {
    const { parseEnv } = await import('node:util');
    const env = { A: 'plain', B: 'with space', C: 'postgres://u:p@127.0.0.1:5/d?x=1&y=2', D: 'quote"d', E: '' };
    expect(parseEnv(formatEnvFile(env, 'imported by ffk'))).toEqual(env);
  });
});
