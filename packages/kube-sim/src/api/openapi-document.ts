// /openapi/v3: an index of group-versions and one OpenAPI 3.0 document per group-version, with
// the kinds' schemas (for `kubectl explain` and client-side strategic merge) and the paths whose
// PATCH operations declare `fieldValidation`, which tells kubectl to let the server validate.
import { createHash } from 'node:crypto';
import { allDefinitions, definitionName, type Schema } from '../openapi/schema';
import { apiVersionOf, type ResourceType } from './resources';

const SCHEMA_PREFIX = '#/components/schemas/';

function parameter(name: string, type = 'string') {
  return { name, in: 'query', schema: { type, uniqueItems: true } };
}

const WRITE_PARAMETERS = [parameter('dryRun'), parameter('fieldManager'), parameter('fieldValidation')];
const PATCH_BODY_TYPES = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];

function operation(type: ResourceType, action: string, responseKind: string, extra: Record<string, unknown> = {}) {
  const ref = { $ref: `${SCHEMA_PREFIX}${responseKind}` };
  return {
    operationId: `${action}${type.kind}`,
    responses: { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: type.group, version: type.version, kind: type.kind },
    ...extra,
  };
}

function pathsFor(type: ResourceType): Record<string, unknown> {
  const base = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  const collection = `${base}${type.namespaced ? '/namespaces/{namespace}' : ''}/${type.plural}`;
  const kind = definitionName(type.group, type.version, type.kind);
  const body = (types: string[]) => ({ requestBody: { content: Object.fromEntries(types.map((t) => [t, { schema: { $ref: `${SCHEMA_PREFIX}${kind}` } }])) } });
  const post = operation(type, 'post', kind, { parameters: WRITE_PARAMETERS, ...body(['application/json']) });
  if (!type.verbs.includes('get')) return { [collection]: { post } }; // access reviews: create only
  return {
    [collection]: {
      get: operation(type, 'list', `${kind}List`),
      post,
      delete: operation(type, 'deletecollection', 'io.k8s.apimachinery.pkg.apis.meta.v1.Status'),
    },
    [`${collection}/{name}`]: {
      get: operation(type, 'get', kind),
      put: operation(type, 'put', kind, { parameters: WRITE_PARAMETERS, ...body(['application/json']) }),
      patch: operation(type, 'patch', kind, { parameters: [...WRITE_PARAMETERS, parameter('force', 'boolean')], ...body(PATCH_BODY_TYPES) }),
      delete: operation(type, 'delete', 'io.k8s.apimachinery.pkg.apis.meta.v1.Status'),
    },
  };
}

function documentFor(types: ResourceType[]) {
  const schemas: Record<string, Schema> = structuredClone(allDefinitions());
  for (const type of types) {
    const gvk = [{ group: type.group, version: type.version, kind: type.kind }];
    schemas[definitionName(type.group, type.version, type.kind)]['x-kubernetes-group-version-kind'] = gvk;
    const list = schemas[`${definitionName(type.group, type.version, type.kind)}List`];
    if (list) list['x-kubernetes-group-version-kind'] = [{ ...gvk[0], kind: `${type.kind}List` }];
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths: Object.fromEntries(types.flatMap((type) => Object.entries(pathsFor(type)))),
    components: { schemas },
  };
}

export interface OpenApiV3 {
  index: { paths: Record<string, { serverRelativeURL: string }> };
  /** Keyed by `api/v1`, `apis/apps/v1`. */
  documents: Map<string, { body: string; hash: string }>;
}

/** Built once per server; kubectl caches documents by the hash in their URL. */
export function buildOpenApiV3(resources: ResourceType[]): OpenApiV3 {
  const byGroupVersion = new Map<string, ResourceType[]>();
  for (const type of resources) {
    const key = type.group ? `apis/${apiVersionOf(type)}` : `api/${type.version}`;
    byGroupVersion.set(key, [...(byGroupVersion.get(key) ?? []), type]);
  }
  const documents = new Map<string, { body: string; hash: string }>();
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [key, types] of byGroupVersion) {
    const body = JSON.stringify(documentFor(types));
    const hash = createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase();
    documents.set(key, { body, hash });
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { index: { paths }, documents };
}
