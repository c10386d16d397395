// Query parameters spelled every way kube-apiserver accepts them, over raw HTTP, for every verb.
// What kube-apiserver 1.32 answers was read from its source, not from a client:
// - decoding: staging/src/k8s.io/apimachinery/pkg/runtime/conversion.go and
//   pkg/apis/meta/v1/conversion.go (Convert_Slice_string_To_bool / _Pointer_bool / _int64: first
//   value wins, a boolean is false only for "0" and "false" in any casing, strconv.ParseInt errors
//   as the 400's message), the generated url.Values conversions (unknown parameters are skipped);
// - handlers: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/{get,create,update,patch,delete}.go
//   (decode error -> 400 BadRequest, validation -> 422 `<Kind>Options.meta.k8s.io ""`);
// - validation: pkg/apis/meta/v1/validation/validation.go (Create/Update/Patch/DeleteOptions,
//   TableOptions) and pkg/apis/meta/internalversion/validation/validation.go (ListOptions).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NamedList, startCluster, type Status, type TestCluster } from './helpers';

/** A ConfigMap or a Scale answer, as far as these tests read it. */
interface Answer {
  data?: Record<string, string>;
  spec?: { replicas?: number };
}

const NS = '/api/v1/namespaces/params';
const configMap = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels: { app: name } },
  data: { a: '1' },
  ...extra,
});

describe('query parameters as kube-apiserver parses them', { timeout: 60_000 }, () => {
  let cluster: TestCluster;
  const exists = async (name: string) => (await cluster.raw('GET', `${NS}/configmaps/${name}`)).status === 200;
  const names = async (query: string) => (await cluster.raw('GET', `${NS}/configmaps?${query}`)).json<NamedList>().items.map((i) => i.metadata.name);

  beforeAll(async () => {
    cluster = await startCluster({ runtime: false });
    cluster.sim.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'params' } });
    for (const name of ['one', 'two', 'three'])
      cluster.sim.store.create('configmaps', { ...configMap(name), metadata: { ...configMap(name).metadata, namespace: 'params' } });
  });
  afterAll(() => cluster?.stop());

  it('watch: every spelling but "0" and "false" (any casing) is a watch, absent is a list', async () => {
    const kindOf = async (query: string) => {
      const response = await cluster.raw('GET', `${NS}/configmaps?${query}`, { firstLine: true });
      const first = response.json<{ kind?: string; type?: string }>();
      return first.kind ?? first.type;
    };
    for (const yes of ['1', 't', 'T', 'TRUE', 'true', 'True', '', 'yes', 'f', 'F'])
      expect({ yes, got: await kindOf(`watch=${yes}`) }).toEqual({ yes, got: 'ADDED' });
    for (const no of ['0', 'false', 'FALSE', 'False', 'fAlSe']) expect({ no, got: await kindOf(`watch=${no}`) }).toEqual({ no, got: 'ConfigMapList' });
    expect(await kindOf('')).toBe('ConfigMapList');
    // The first of repeated values counts.
    expect(await kindOf('watch=false&watch=true')).toBe('ConfigMapList');
    expect(await kindOf('watch=1&watch=0')).toBe('ADDED');
  });

  it('integers: strconv.ParseInt accepts a sign, refuses anything else with its own words; the first of repeated values counts', async () => {
    expect(await names('limit=%2B1')).toEqual(['one']);
    expect(await names('limit=1&limit=3')).toEqual(['one']);
    expect(await names('limit=0')).toEqual(['one', 'three', 'two']);
    expect(await names('limit=-1')).toEqual(['one', 'three', 'two']);
    for (const [query, message] of [
      ['limit=abc', 'strconv.ParseInt: parsing "abc": invalid syntax'],
      ['limit=', 'strconv.ParseInt: parsing "": invalid syntax'],
      ['limit=1.5', 'strconv.ParseInt: parsing "1.5": invalid syntax'],
      ['limit=99999999999999999999', 'strconv.ParseInt: parsing "99999999999999999999": value out of range'],
      ['watch=1&timeoutSeconds=soon', 'strconv.ParseInt: parsing "soon": invalid syntax'],
    ]) {
      const response = await cluster.raw('GET', `${NS}/configmaps?${query}`);
      expect({ query, status: response.status, reason: response.json<Status>().reason, message: response.json<Status>().message }).toEqual({
        query,
        status: 400,
        reason: 'BadRequest',
        message,
      });
    }
  });

  it('strings: selectors take the first value; unknown parameters and `pretty` are ignored', async () => {
    expect(await names('labelSelector=app%3Done&labelSelector=app%3Dtwo')).toEqual(['one']);
    expect(await names('fieldSelector=metadata.name%3Dtwo')).toEqual(['two']);
    // Field labels are the kind's (field label conversion): 400 for one it does not have.
    const configMapField = await cluster.raw('GET', `${NS}/configmaps?fieldSelector=status.phase%3DRunning`);
    expect({ status: configMapField.status, message: configMapField.json<Status>().message }).toEqual({
      status: 400,
      message: '"status.phase" is not a known field selector: only "metadata.name", "metadata.namespace"',
    });
    expect((await cluster.raw('GET', `${NS}/pods?fieldSelector=status.phase%3DRunning`)).status).toBe(200);
    expect((await cluster.raw('GET', `${NS}/pods?fieldSelector=spec.colour%3Dred`)).json<Status>().message).toBe('field label not supported: spec.colour');
    expect(await names('pretty=true&bogus=1&includeUninitialized=true')).toEqual(['one', 'three', 'two']);
    expect((await cluster.raw('GET', `${NS}/configmaps/one?pretty=1&export=true&nonsense`)).status).toBe(200);
  });

  it('watch options: timeoutSeconds ends the watch, allowWatchBookmarks takes any true spelling, sendInitialEvents needs NotOlderThan', async () => {
    const started = Date.now();
    const ended = await cluster.raw('GET', `${NS}/configmaps?watch=T&timeoutSeconds=1&resourceVersion=${cluster.sim.store.resourceVersion}`);
    expect(ended.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const invalid = await cluster.raw('GET', `${NS}/configmaps?watch=1&sendInitialEvents=true`);
    expect(invalid.status).toBe(422);
    expect(invalid.json<Status>().message).toBe(
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
    );
    const initial = await cluster.raw('GET', `${NS}/configmaps?watch=1&sendInitialEvents=True&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=t`, {
      firstLine: true,
    });
    expect(initial.json<{ type: string }>().type).toBe('ADDED');
    const match = await cluster.raw('GET', `${NS}/configmaps?watch=1&resourceVersionMatch=NotOlderThan`);
    expect(match.json<Status>().message).toBe(
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
    );
  });

  it('create and update: dryRun=All writes nothing, other dryRun values, fieldValidation values and long field managers are refused', async () => {
    const created = await cluster.raw('POST', `${NS}/configmaps?dryRun=All&fieldManager=tester`, { body: configMap('dry') });
    expect(created.status).toBe(201);
    expect(await exists('dry')).toBe(false);
    const cases: [string, string][] = [
      ['dryRun=Some', 'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Some"}: supported values: "All"'],
      [
        'fieldValidation=Loud',
        'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loud": supported values: "", "Ignore", "Strict", "Warn"',
      ],
      [`fieldManager=${'m'.repeat(129)}`, 'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes'],
    ];
    for (const [query, message] of cases) {
      const response = await cluster.raw('POST', `${NS}/configmaps?${query}`, { body: configMap('refused') });
      expect({ query, status: response.status, message: response.json<Status>().message }).toEqual({ query, status: 422, message });
    }
    const strict = await cluster.raw('POST', `${NS}/configmaps?fieldValidation=Strict`, { body: configMap('strict', { colour: 'red' }) });
    expect(strict.status).toBe(400);
    expect(strict.json<Status>().message).toBe('strict decoding error: unknown field "colour"');
    const warned = await cluster.raw('POST', `${NS}/configmaps`, { body: configMap('warned', { colour: 'red' }) });
    expect(warned.headers.warning).toBe('299 - "unknown field \\"colour\\""');

    const current = (await cluster.raw('GET', `${NS}/configmaps/one`)).json<Answer>();
    const update = await cluster.raw('PUT', `${NS}/configmaps/one?dryRun=All&dryRun=All`, { body: { ...current, data: { a: '2' } } });
    expect(update.status).toBe(200);
    expect((await cluster.raw('GET', `${NS}/configmaps/one`)).json<Answer>().data).toEqual({ a: '1' });
    const refused = await cluster.raw('PUT', `${NS}/configmaps/one?dryRun=All&dryRun=None`, { body: current });
    expect(refused.json<Status>().message).toBe(
      'UpdateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"All", "None"}: supported values: "All"',
    );
  });

  it('patch: force only with apply, where it takes any boolean spelling; apply needs a fieldManager', async () => {
    const merge = await cluster.raw('PATCH', `${NS}/configmaps/two?force=false`, { body: { data: { b: '2' } }, contentType: 'application/merge-patch+json' });
    expect(merge.status).toBe(422);
    expect(merge.json<Status>().message).toBe('PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
    const apply = (fieldManager: string, force: string, value: string) =>
      cluster.raw('PATCH', `${NS}/configmaps/two?${fieldManager}&${force}`, {
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'two' }, data: { a: value } },
        contentType: 'application/apply-patch+yaml',
      });
    const anonymous = await apply('', '', '1');
    expect(anonymous.json<Status>().message).toBe('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    expect((await apply('fieldManager=first', 'force=0', '1')).status).toBe(200);
    const forced = await apply('fieldManager=first', 'force=T', '2');
    expect(forced.status).toBe(200);
    expect(forced.json<Answer>().data?.a).toBe('2');
  });

  it('delete: options from the query (or the body), gracePeriodSeconds as an integer, propagationPolicy and orphanDependents checked', async () => {
    const cases: [string, number, string][] = [
      ['gracePeriodSeconds=now', 400, 'strconv.ParseInt: parsing "now": invalid syntax'],
      [
        'propagationPolicy=Bogus',
        422,
        'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Bogus": supported values: "Foreground", "Background", "Orphan", "nil"',
      ],
      [
        'propagationPolicy=Orphan&orphanDependents=true',
        422,
        'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Orphan": orphanDependents and deletionPropagation cannot be both set',
      ],
      ['dryRun=Yes', 422, 'DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Yes"}: supported values: "All"'],
    ];
    for (const [query, status, message] of cases) {
      const response = await cluster.raw('DELETE', `${NS}/configmaps/three?${query}`);
      expect({ query, status: response.status, message: response.json<Status>().message }).toEqual({ query, status, message });
    }
    expect((await cluster.raw('DELETE', `${NS}/configmaps/three?dryRun=All&gracePeriodSeconds=%2B0`)).status).toBe(200);
    expect(await exists('three')).toBe(true);
    // A body replaces the query: the query's bad policy is not read.
    const withBody = await cluster.raw('DELETE', `${NS}/configmaps/three?propagationPolicy=Bogus`, {
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
    });
    expect(withBody.status).toBe(200);
    expect(await exists('three')).toBe(false);
  });

  it('deletecollection: list options select what goes, delete options apply to each', async () => {
    for (const name of ['gone-1', 'gone-2'])
      expect((await cluster.raw('POST', `${NS}/configmaps`, { body: { ...configMap(name), metadata: { name, labels: { batch: 'x' } } } })).status).toBe(201);
    const dry = await cluster.raw('DELETE', `${NS}/configmaps?labelSelector=batch%3Dx&dryRun=All`);
    expect(dry.json<NamedList>().items).toHaveLength(2);
    expect(await exists('gone-1')).toBe(true);
    const bad = await cluster.raw('DELETE', `${NS}/configmaps?labelSelector=batch%3Dx&limit=x`);
    expect(bad.json<Status>().message).toBe('strconv.ParseInt: parsing "x": invalid syntax');
    expect((await cluster.raw('DELETE', `${NS}/configmaps?labelSelector=batch%3Dx`)).status).toBe(200);
    expect(await exists('gone-1')).toBe(false);
    expect(await exists('one')).toBe(true);
  });

  it('get and subresources: a future resourceVersion is a 504, tables check includeObject, scale takes dryRun', async () => {
    const future = await cluster.raw('GET', `${NS}/configmaps/one?resourceVersion=99999999`);
    expect(future.status).toBe(504);
    const table = 'application/json;as=Table;v=v1;g=meta.k8s.io';
    const rows = (await cluster.raw('GET', `${NS}/configmaps/one?includeObject=Object`, { accept: table })).json<{ rows: { object: Answer }[] }>().rows;
    expect(rows[0].object.data).toEqual({ a: '1' });
    const badInclude = await cluster.raw('GET', `${NS}/configmaps?includeObject=Everything`, { accept: table });
    expect(badInclude.json<Status>().message).toBe(
      "TableOptions.meta.k8s.io \"\" is invalid: includeObject: Invalid value: \"Everything\": must be 'Metadata', 'Object', 'None', or empty",
    );

    await cluster.kubectlOk('create', 'deployment', 'web', '-n', 'params', '--image=nginx:1.27');
    const deployments = '/apis/apps/v1/namespaces/params/deployments/web';
    const scale = (await cluster.raw('GET', `${deployments}/scale`)).json<Answer>();
    expect((await cluster.raw('PUT', `${deployments}/scale?dryRun=All`, { body: { ...scale, spec: { replicas: 5 } } })).json<Answer>().spec?.replicas).toBe(5);
    expect((await cluster.raw('GET', `${deployments}/scale`)).json<Answer>().spec?.replicas).toBe(1);
    const status = await cluster.raw('PATCH', `${deployments}/status?fieldManager=x&force=true`, {
      body: { status: {} },
      contentType: 'application/merge-patch+json',
    });
    expect(status.json<Status>().message).toBe('PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
  });
});
