// REST verbs on resource paths: get, list, watch, create, update, patch, delete,
// deletecollection, plus the status and scale subresources.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { REVIEWERS } from '../auth/access-reviews';
import type { RbacAuthorizer } from '../auth/rbac';
import { requestUser } from '../auth/users';
import { readBody } from '../http/body';
import type { ResourcePath } from '../http/paths';
import { sendJson } from '../http/respond';
import type { ListResult, ObjectStore, PatchType, WriteOptions } from '../registry/object-store';
import { strategyFor } from '../registry/strategies';
import type { KubeObject } from '../store/types';
import { deleteOptions, getOptions, listOptions, writeOptions } from './request-options';
import { apiVersionOf, type ResourceType } from './resources';
import { badRequest, methodNotAllowed, notFoundPath, unsupportedMediaType } from './status';
import { includeObjectOption, objectTable, toTable, wantsTable } from './table';
import { serveWatch, type WatchSettings } from './watch-handler';

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

function respond(res: ServerResponse, code: number, body: unknown, options?: WriteOptions): void {
  const warnings = options?.warnings ?? [];
  if (warnings.length > 0)
    res.setHeader(
      'warning',
      warnings.map((w) => `299 - ${JSON.stringify(w)}`),
    );
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

function listBody(type: ResourceType, list: ListResult) {
  const { items, ...metadata } = list;
  return { kind: `${type.kind}List`, apiVersion: apiVersionOf(type), metadata, items };
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
      const options = writeOptions(query, 'create');
      const body = checkBodyNamespace(path, (await readBody(req)) as KubeObject, type);
      const { object, schemaCauses } = store.decode(type, body, options);
      return respond(res, 201, reviewer(authorizer, requestUser(req), object, schemaCauses), options);
    }
    const accept = req.headers.accept;
    const { namespace, name, subresource } = path;
    const method = req.method ?? 'GET';

    if (!name) {
      if (method === 'GET' || method === 'DELETE') {
        const list = listOptions(query, path.legacyWatch && method === 'GET');
        const selection = { namespace, ...list };
        if (method === 'GET' && list.watch) return serveWatch(req, res, store, type, selection, includeObjectOption(query), settings);
        if (method === 'GET') {
          const page = store.list(type.plural, selection);
          return sendJson(res, 200, wantsTable(accept) ? toTable(type.kind, page, includeObjectOption(query)) : listBody(type, page));
        }
        const options = deleteOptions(query, await readBody(req));
        const { items, resourceVersion } = store.list(type.plural, selection);
        const deleted = items.map((item) => store.delete(type.plural, item.metadata.namespace, item.metadata.name, options).object);
        return sendJson(res, 200, listBody(type, { items: deleted, resourceVersion }));
      }
      if (method === 'POST') {
        const options = writeOptions(query, 'create');
        const body = checkBodyNamespace(path, (await readBody(req)) as KubeObject, type);
        return respond(res, 201, store.create(type.plural, body, options), options);
      }
      throw methodNotAllowed();
    }

    if (subresource && !type.subresources.some((s) => s.name === subresource)) throw notFoundPath();
    if (method === 'GET') {
      const object = store.get(type.plural, namespace, name, subresource, getOptions(query));
      return sendJson(res, 200, wantsTable(accept) ? objectTable(type.kind, object, includeObjectOption(query)) : object);
    }
    if (method === 'PUT') {
      const options = writeOptions(query, 'update', subresource);
      const body = checkBodyNamespace(path, (await readBody(req)) as KubeObject, type);
      if (body.metadata.name && body.metadata.name !== name)
        throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
      body.metadata.name = name;
      return respond(res, 200, store.update(type.plural, body, options), options);
    }
    if (method === 'PATCH') {
      const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim();
      const patchType = PATCH_TYPES[contentType];
      if (!patchType) throw unsupportedMediaType(contentType);
      const options = writeOptions(query, { patch: patchType }, subresource);
      const existed = patchType === 'apply' ? store.find(type.plural, namespace, name) !== undefined : true;
      const written = store.patch(type.plural, namespace, name, patchType, await readBody(req), options);
      return respond(res, existed ? 200 : 201, written, options);
    }
    if (method === 'DELETE' && !subresource) {
      const options = deleteOptions(query, await readBody(req));
      const { object, gone } = store.delete(type.plural, namespace, name, options);
      if (gone && !strategyFor(type.kind).returnsDeletedObject) {
        return sendJson(res, 200, {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details: { name, ...(type.group ? { group: type.group } : {}), kind: type.plural, uid: object.metadata.uid },
        });
      }
      return sendJson(res, gone ? 200 : 202, object);
    }
    throw methodNotAllowed();
  };
}
