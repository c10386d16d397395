// Writes that change nothing are not stored, as kube-apiserver skips them: the resourceVersion
// stays, no watch event goes out, and server-side apply does not move its managedFields time.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, PatchStrategy, setHeaderOptions, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type TestCluster } from './helpers';

describe('no-op writes against kube-sim', () => {
  let cluster: TestCluster;
  let core: CoreV1Api;
  let dir: string;

  const manifest = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: ${value}\n`;
  const live = () => core.readNamespacedConfigMap({ name: 'settings', namespace: 'default' });
  const applyServerSide = async (value: string) => {
    const file = join(dir, 'settings.yaml');
    writeFileSync(file, manifest(value));
    const result = await cluster.kubectl(['apply', '--server-side', '-f', file]);
    if (result.code !== 0) throw new Error(result.stderr);
  };

  beforeAll(async () => {
    cluster = await startCluster({ runtime: false });
    core = cluster.kc.makeApiClient(CoreV1Api);
    dir = mkdtempSync(join(tmpdir(), 'kube-sim-noop-'));
  });
  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the resourceVersion and the managedFields time when `kubectl apply --server-side` changes nothing', async () => {
    await applyServerSide('blue');
    const first = await live();
    const events: string[] = [];
    const watch = await new Watch(cluster.kc).watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: first.metadata?.resourceVersion },
      (type: string, object: { metadata: { resourceVersion: string } }) => events.push(`${type} ${object.metadata.resourceVersion}`),
      () => undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // managedFields times have 1 s resolution
    await applyServerSide('blue');
    const second = await live();
    expect(second.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
    expect(second.metadata?.managedFields).toEqual(first.metadata?.managedFields);

    await applyServerSide('green');
    const changed = await live();
    expect(Number(changed.metadata?.resourceVersion)).toBeGreaterThan(Number(first.metadata?.resourceVersion));
    expect(changed.metadata?.managedFields?.[0]?.time).not.toEqual(first.metadata?.managedFields?.[0]?.time);
    await new Promise((resolve) => setTimeout(resolve, 100));
    watch.abort();
    expect(events).toEqual([`MODIFIED ${changed.metadata?.resourceVersion}`]);
  });

  it('keeps the resourceVersion on a PUT of the same object and on patches that change nothing', async () => {
    const before = await live();
    const put = await core.replaceNamespacedConfigMap({ name: 'settings', namespace: 'default', body: before });
    expect(put.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    const merge = await core.patchNamespacedConfigMap(
      { name: 'settings', namespace: 'default', body: { data: { color: 'green' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merge.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    const json = await core.patchNamespacedConfigMap(
      { name: 'settings', namespace: 'default', body: [{ op: 'replace', path: '/data/color', value: 'green' }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(json.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    const namespace = await core.readNamespace({ name: 'default' });
    const status = await core.replaceNamespaceStatus({ name: 'default', body: namespace });
    expect(status.metadata?.resourceVersion).toBe(namespace.metadata?.resourceVersion);
  });
});
