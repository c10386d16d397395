// What a request asks to do, as kube-apiserver's RequestInfo resolver reads it from the method and
// path alone (before any routing): verb, API group, namespace, resource, subresource and name, or
// a non-resource path (/api, /version, /openapi/v3...).
import { parseBoolean } from '../api/query-parameters';
import type { UserInfo } from './users';

export interface Attributes {
  user: UserInfo;
  verb: string;
  resourceRequest: boolean;
  /** The URL path (what non-resource rules match). */
  path: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

const METHOD_VERBS: Record<string, string> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
/** Path segments that are verbs (/api/v1/watch/pods); `proxy` takes no subresource. */
const SPECIAL_VERBS = new Set(['proxy', 'watch']);
/** Namespace subresources, so /namespaces/x/status is not a resource named `status`. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
const VALID_PATH_SEGMENT = (name: string) => name !== '.' && name !== '..' && !/[/%]/.test(name);

/** The metadata.name an exact `metadata.name=x` (or `==`) field selector requires, if any. */
function exactName(fieldSelector: string | null): string | undefined {
  for (const term of (fieldSelector ?? '').split(',')) {
    const match = /^\s*metadata\.name\s*==?\s*(.*?)\s*$/.exec(term);
    if (match) return match[1];
  }
  return undefined;
}

export function requestAttributes(user: UserInfo, method: string, url: URL): Attributes {
  const path = url.pathname;
  const base: Attributes = {
    user,
    verb: method.toLowerCase(),
    resourceRequest: false,
    path,
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
  };
  let parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length < 3 || (parts[0] !== 'api' && parts[0] !== 'apis')) return base;
  const attributes = { ...base, resourceRequest: true };
  if (parts[0] === 'apis') {
    if (parts.length < 4) return base;
    attributes.apiGroup = parts[1];
    parts = parts.slice(2);
  } else parts = parts.slice(1);
  attributes.apiVersion = parts[0];
  parts = parts.slice(1);

  if (SPECIAL_VERBS.has(parts[0])) {
    attributes.verb = parts[0];
    parts = parts.slice(1);
  } else attributes.verb = METHOD_VERBS[method] ?? '';

  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      attributes.namespace = parts[1];
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) parts = parts.slice(2);
    }
  }
  if (parts.length >= 3 && attributes.verb !== 'proxy') attributes.subresource = parts[2];
  if (parts.length >= 2) attributes.name = parts[1];
  if (parts.length >= 1) attributes.resource = parts[0];

  if (!attributes.name && attributes.verb === 'get') {
    // As RequestInfoFactory: the watch parameter read the way the list handler reads it.
    const watch = url.searchParams.get('watch');
    attributes.verb = watch !== null && parseBoolean(watch) ? 'watch' : 'list';
    // A list or watch of one object by name is authorized by resourceNames like a get.
    const named = exactName(url.searchParams.get('fieldSelector'));
    if (named && VALID_PATH_SEGMENT(named)) attributes.name = named;
  }
  if (!attributes.name && attributes.verb === 'delete') attributes.verb = 'deletecollection';
  return attributes;
}
