// Lists as kube-apiserver serves them: pages (limit, continue, remainingItemCount), continue
// tokens read at the first page's resourceVersion and expiring with kube-apiserver's 410, and
// resourceVersion / resourceVersionMatch. Compared with kube-apiserver 1.32's source:
// staging/src/k8s.io/apiserver/pkg/storage/{continue.go,util.go,etcd3/store.go,cacher/cacher.go},
// staging/src/k8s.io/apimachinery/pkg/apis/meta/internalversion/validation/validation.go.
import { defined } from '@ffk/test-kit/defined';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListMeta, type NamedList, startCluster, type Status, type TestCluster } from './helpers';

/** A Table answer, as far as these tests read it. */
interface Table {
  kind: string;
  rows: { cells: string[] }[];
  metadata: ListMeta;
}

const configMap = (namespace: string, name: string, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, labels },
  data: { n: name },
});

describe('lists in pages', { timeout: 60_000 }, () => {
  let cluster: TestCluster;
  const names = (list: { items: { metadata: { name: string } }[] }) => list.items.map((item) => item.metadata.name);

  beforeAll(async () => {
    // A short history, so that a continue token can outlive it.
    cluster = await startCluster({ runtime: false, historySize: 2_000 });
    const { store } = cluster.sim;
    store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'big' } });
    store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'small' } });
    for (let i = 0; i < 1200; i++) store.create('configmaps', configMap('big', `cm-${String(i).padStart(4, '0')}`));
    for (const name of ['a', 'b', 'c', 'd', 'e']) store.create('configmaps', configMap('small', name, { tier: name < 'c' ? 'front' : 'back' }));
  });
  afterAll(() => cluster?.stop());

  it('kubectl get over 1,200 objects fetches them in chunks of 500 and prints all of them', async () => {
    const { code, stdout, stderr } = await cluster.kubectl(['get', 'configmaps', '-n', 'big', '-v=6']);
    expect(code).toBe(0);
    const rows = stdout.trim().split('\n').slice(1);
    expect(rows).toHaveLength(1200);
    const requests = stderr.split('\n').filter((line) => /GET https:\S+\/namespaces\/big\/configmaps\?/.test(line));
    expect(requests).toHaveLength(3);
    expect(requests[0]).toMatch(/configmaps\?limit=500 200 OK/);
    expect(requests[1]).toMatch(/configmaps\?continue=[A-Za-z0-9_-]+&limit=500 200 OK/);
    expect(requests[2]).toMatch(/configmaps\?continue=[A-Za-z0-9_-]+&limit=500 200 OK/);
  });

  it("pages with continue and remainingItemCount, every page at the first page's resourceVersion", async () => {
    const first = (await cluster.raw('GET', '/api/v1/namespaces/small/configmaps?limit=2')).json<NamedList>();
    expect(names(first)).toEqual(['a', 'b']);
    expect(first.metadata.remainingItemCount).toBe(3);
    const token: unknown = JSON.parse(Buffer.from(defined(first.metadata.continue, 'a continue token'), 'base64url').toString());
    expect(token).toEqual({ v: 'meta.k8s.io/v1', rv: Number(first.metadata.resourceVersion), start: 'b\u0000' });

    // A change after the first page does not show in the next pages (a consistent snapshot).
    cluster.sim.store.create('configmaps', configMap('small', 'bb'));
    cluster.sim.store.delete('configmaps', 'small', 'e');
    const second = (await cluster.raw('GET', `/api/v1/namespaces/small/configmaps?limit=2&continue=${first.metadata.continue}`)).json<NamedList>();
    expect(names(second)).toEqual(['c', 'd']);
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    expect(second.metadata.remainingItemCount).toBe(1);
    const third = (await cluster.raw('GET', `/api/v1/namespaces/small/configmaps?limit=2&continue=${second.metadata.continue}`)).json<NamedList>();
    expect(names(third)).toEqual(['e']);
    expect(third.metadata.continue).toBeUndefined();
    expect(third.metadata.remainingItemCount).toBeUndefined();

    // A new list sees the changes.
    expect(names((await cluster.raw('GET', '/api/v1/namespaces/small/configmaps')).json<NamedList>())).toEqual(['a', 'b', 'bb', 'c', 'd']);
    cluster.sim.store.delete('configmaps', 'small', 'bb');
    cluster.sim.store.create('configmaps', configMap('small', 'e', { tier: 'back' }));
  });

  it('leaves remainingItemCount out when a selector narrows the list, and pages tables too', async () => {
    const selected = (await cluster.raw('GET', '/api/v1/namespaces/small/configmaps?limit=1&labelSelector=tier%3Dback')).json<NamedList>();
    expect(names(selected)).toEqual(['c']);
    expect(selected.metadata.continue).toBeTruthy();
    expect(selected.metadata.remainingItemCount).toBeUndefined();
    const table = (
      await cluster.raw('GET', '/api/v1/namespaces/small/configmaps?limit=3', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' })
    ).json<Table>();
    expect(table.kind).toBe('Table');
    expect(table.rows.map((row) => row.cells[0])).toEqual(['a', 'b', 'c']);
    expect(table.metadata.remainingItemCount).toBe(2);
    expect(table.metadata.continue).toEqual(expect.any(String));
  });

  it('resourceVersion=0 serves the whole list whatever the limit (the watch cache), Exact serves an older state', async () => {
    const all = (await cluster.raw('GET', '/api/v1/namespaces/small/configmaps?limit=2&resourceVersion=0')).json<NamedList>();
    expect(names(all)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(all.metadata.continue).toBeUndefined();

    const before = all.metadata.resourceVersion;
    cluster.sim.store.delete('configmaps', 'small', 'a');
    const exact = (await cluster.raw('GET', `/api/v1/namespaces/small/configmaps?resourceVersion=${before}&resourceVersionMatch=Exact`)).json<NamedList>();
    expect(names(exact)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(exact.metadata.resourceVersion).toBe(before);
    // Without a match, a resourceVersion with a limit is Exact too (the legacy rule); without a limit, not older than.
    expect(names((await cluster.raw('GET', `/api/v1/namespaces/small/configmaps?resourceVersion=${before}&limit=10`)).json<NamedList>())).toContain('a');
    expect(names((await cluster.raw('GET', `/api/v1/namespaces/small/configmaps?resourceVersion=${before}`)).json<NamedList>())).not.toContain('a');
    cluster.sim.store.create('configmaps', configMap('small', 'a', { tier: 'front' }));
  });

  it('answers a resourceVersion newer than the server has with 504, as the API server does', async () => {
    const response = await cluster.raw('GET', '/api/v1/namespaces/small/configmaps?resourceVersion=99999999&resourceVersionMatch=NotOlderThan');
    expect(response.status).toBe(504);
    expect(response.json<Status>()).toMatchObject({
      reason: 'Timeout',
      message: `Timeout: Too large resource version: 99999999, current: ${cluster.sim.store.resourceVersion}`,
      details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
    });
  });

  it("refuses option combinations in the API server's words", async () => {
    const cases: [string, number, string][] = [
      [
        'resourceVersionMatch=Exact',
        422,
        'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
      ],
      [
        'resourceVersion=0&resourceVersionMatch=Exact',
        422,
        'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
      ],
      [
        'resourceVersion=1&resourceVersionMatch=Newest',
        422,
        'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""',
      ],
      ['continue=abc&resourceVersion=5', 400, 'specifying resource version is not allowed when using continue'],
      ['continue=e30', 400, 'invalid continue token: continue key is not valid: server does not recognize this encoded version '],
      ['sendInitialEvents=true', 422, 'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list'],
    ];
    for (const [query, code, message] of cases) {
      const response = await cluster.raw('GET', `/api/v1/namespaces/small/configmaps?${query}`);
      expect({ query, code: response.status, message: response.json<Status>().message }).toEqual({ query, code, message });
    }
  });

  it('expires a continue token older than the history with a 410 worded as kube-apiserver, and hands out one that goes on', async () => {
    const first = (await cluster.raw('GET', '/api/v1/namespaces/small/configmaps?limit=2')).json<NamedList>();
    for (let i = 0; i < 2_100; i++) cluster.sim.store.patch('configmaps', 'big', 'cm-0000', 'merge', { data: { n: String(i) } });
    const expired = await cluster.raw('GET', `/api/v1/namespaces/small/configmaps?limit=2&continue=${first.metadata.continue}`);
    expect(expired.status).toBe(410);
    const status = expired.json<Status>();
    expect(status).toMatchObject({
      reason: 'Expired',
      message:
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, ' +
        'or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an ' +
        'inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
    });
    expect(JSON.parse(Buffer.from(defined(status.metadata.continue, 'a new continue token'), 'base64url').toString())).toEqual({
      v: 'meta.k8s.io/v1',
      rv: -1,
      start: 'b\u0000',
    });
    const rest = (await cluster.raw('GET', `/api/v1/namespaces/small/configmaps?limit=10&continue=${status.metadata.continue}`)).json<NamedList>();
    expect(names(rest)).toEqual(['c', 'd', 'e']);

    const old = await cluster.raw('GET', `/api/v1/namespaces/small/configmaps?resourceVersion=${first.metadata.resourceVersion}&resourceVersionMatch=Exact`);
    expect(old.status).toBe(410);
    expect(old.json<Status>().message).toBe('The resourceVersion for the provided list is too old.');
  });
});
