// REST verbs on resource paths: get, list, watch, create, update, patch, delete,
// deletecollection, plus the status and scale subresources.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { REVIEWERS } from '../auth/access-reviews';
import type { RbacAuthorizer } from '../auth/rbac';
import { requestUser } from '../auth/users';
import { readBody } from '../http/body';
import type { ResourcePath } from '../http/paths';
import { sendJson } from '../http/respond';
import type { DeleteOptions, FieldValidation, ObjectStore, PatchType, WriteOptions } from '../registry/object-store';
import type { KubeObject } from '../store/types';
import { apiVersionOf, type ResourceType } from './resources';
import { badRequest, methodNotAllowed, notFoundPath, unsupportedMediaType } from './status';
import { toTable, wantsTable } from './table';
import { serveWatch, type WatchSettings } from './watch-handler';

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

function writeOptions(query: URLSearchParams, subresource: string | undefined): WriteOptions {
  const validation = query.get('fieldValidation');
  if (validation && !['Strict', 'Warn', 'Ignore'].includes(validation)) {
    throw badRequest(`fieldValidation must be one of Ignore, Warn, Strict (got ${validation})`);
  }
  return {
    subresource,
    dryRun: query.getAll('dryRun').includes('All'),
    fieldManager: query.get('fieldManager') ?? undefined,
    fieldValidation: (validation as FieldValidation | null) ?? undefined,
    force: query.get('force') === 'true',
    warnings: [],
  };
}

function respond(res: ServerResponse, code: number, body: unknown, options?: WriteOptions): void {
  const warnings = options?.warnings ?? [];
  if (warnings.length > 0) res.setHeader('warning', warnings.map((w) => `299 - ${JSON.stringify(w)}`));
  sendJson(res, code, body);
}

function checkBodyNamespace(path: ResourcePath, body: KubeObject | undefined, type: ResourceType): KubeObject {
  if (!body || typeof body !== 'object') throw badRequest(`Object '${type.kind}' is missing in the request body`);
  body.metadata ??= { name: '' };
  if (type.namespaced) {
    if (body.metadata.namespace && path.namespace && body.metadata.namespace !== path.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    body.metadata.namespace = path.namespace ?? body.metadata.namespace;
  }
  return body;
}

function deleteOptions(query: URLSearchParams, body: Record<string, any> | undefined): DeleteOptions {
  const grace = query.get('gracePeriodSeconds') ?? body?.gracePeriodSeconds;
  const policy = query.get('propagationPolicy') ?? body?.propagationPolicy ?? (body?.orphanDependents === true || query.get('orphanDependents') === 'true' ? 'Orphan' : undefined);
  if (policy && !['Background', 'Foreground', 'Orphan'].includes(policy)) {
    throw badRequest(`propagationPolicy must be one of Background, Foreground, Orphan (got ${policy})`);
  }
  return {
    propagationPolicy: policy,
    gracePeriodSeconds: grace === undefined || grace === null ? undefined : Number(grace),
    preconditions: body?.preconditions,
    dryRun: query.getAll('dryRun').includes('All') || (body?.dryRun ?? []).includes('All'),
  };
}

function listBody(type: ResourceType, items: KubeObject[], resourceVersion: string) {
  return { kind: `${type.kind}List`, apiVersion: apiVersionOf(type), metadata: { resourceVersion }, items };
}

export function resourceHandler(store: ObjectStore, settings: WatchSettings, authorizer: RbacAuthorizer) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL, path: ResourcePath): Promise<void> => {
    const type = store.resource(path.plural);
    if (apiVersionOf(type) !== (path.group ? `${path.group}/${path.version}` : path.version)) throw notFoundPath();
    if (!type.namespaced && path.namespace) throw notFoundPath();
    const query = url.searchParams;
    const reviewer = REVIEWERS[type.plural];
    if (reviewer) {
      // Access reviews: answered for the requesting user, never stored.
      if (req.method !== 'POST' || path.name) throw methodNotAllowed();
      const options = writeOptions(query, undefined);
      const body = checkBodyNamespace(path, (await readBody(req)) as KubeObject, type);
      const { object, schemaCauses } = store.decode(type, body, options);
      return respond(res, 201, reviewer(authorizer, requestUser(req), object, schemaCauses), options);
    }
    const accept = req.headers.accept;
    const { namespace, name, subresource } = path;
    const method = req.method ?? 'GET';

    if (!name) {
      const selectors = { namespace, labelSelector: query.get('labelSelector') ?? undefined, fieldSelector: query.get('fieldSelector') ?? undefined };
      if (method === 'GET' && (path.legacyWatch || query.get('watch') === 'true' || query.get('watch') === '1')) {
        return serveWatch(req, res, store, type, { ...selectors, resourceVersion: query.get('resourceVersion') || undefined }, query, settings);
      }
      if (method === 'GET') {
        const { items, resourceVersion } = store.list(type.plural, selectors);
        return sendJson(res, 200, wantsTable(accept) ? toTable(type.kind, items, resourceVersion, query.get('includeObject')) : listBody(type, items, resourceVersion));
      }
      if (method === 'POST') {
        const options = writeOptions(query, undefined);
        const body = checkBodyNamespace(path, (await readBody(req)) as KubeObject, type);
        return respond(res, 201, store.create(type.plural, body, options), options);
      }
      if (method === 'DELETE') {
        const options = deleteOptions(query, (await readBody(req)) as Record<string, any> | undefined);
        const { items, resourceVersion } = store.list(type.plural, selectors);
        const deleted = items.map((item) => store.delete(type.plural, item.metadata.namespace, item.metadata.name, options).object);
        return sendJson(res, 200, listBody(type, deleted, resourceVersion));
      }
      throw methodNotAllowed();
    }

    if (subresource && !type.subresources.some((s) => s.name === subresource)) throw notFoundPath();
    if (method === 'GET') {
      const object = store.get(type.plural, namespace, name, subresource);
      return sendJson(res, 200, wantsTable(accept) ? toTable(type.kind, [object], object.metadata.resourceVersion ?? '', query.get('includeObject')) : object);
    }
    if (method === 'PUT') {
      const options = writeOptions(query, subresource);
      const body = checkBodyNamespace(path, (await readBody(req)) as KubeObject, type);
      if (body.metadata.name && body.metadata.name !== name) throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
      body.metadata.name = name;
      const written = store.update(type.plural, body, options);
      return respond(res, 200, subresource === 'scale' ? store.get(type.plural, namespace, name, 'scale') : written, options);
    }
    if (method === 'PATCH') {
      const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim();
      const patchType = PATCH_TYPES[contentType];
      if (!patchType) throw unsupportedMediaType(contentType);
      const options = writeOptions(query, subresource);
      const existed = patchType === 'apply' ? store.find(type.plural, namespace, name) !== undefined : true;
      const written = store.patch(type.plural, namespace, name, patchType, await readBody(req), options);
      return respond(res, existed ? 200 : 201, written, options);
    }
    if (method === 'DELETE' && !subresource) {
      const options = deleteOptions(query, (await readBody(req)) as Record<string, any> | undefined);
      const { object, gone } = store.delete(type.plural, namespace, name, options);
      if (gone && type.kind !== 'Pod') {
        return sendJson(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, ...(type.group ? { group: type.group } : {}), kind: type.plural, uid: object.metadata.uid } });
      }
      return sendJson(res, gone ? 200 : 202, object);
    }
    throw methodNotAllowed();
  };
}
