// REST paths: /api/v1/[namespaces/{ns}/]{plural}[/{name}[/{subresource}]] and the same under
// /apis/{group}/{version}; /api/v1/watch/... is the legacy spelling of ?watch=true.

export interface ResourcePath {
  group: string;
  version: string;
  namespace?: string;
  plural: string;
  name?: string;
  subresource?: string;
  legacyWatch: boolean;
}

export function parseResourcePath(pathname: string): ResourcePath | undefined {
  const segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 3) {
    group = '';
    version = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    group = segments[1];
    version = segments[2];
    rest = segments.slice(3);
  } else return undefined;
  const legacyWatch = rest[0] === 'watch';
  if (legacyWatch) rest = rest.slice(1);
  // /namespaces/{name}/status is the Namespace's own subresource, not a resource named `status`.
  const namespaceSubresource = rest[0] === 'namespaces' && rest.length === 3 && ['status', 'finalize'].includes(rest[2]);
  if (rest[0] === 'namespaces' && rest.length >= 3 && !namespaceSubresource) {
    const [, namespace, plural, name, subresource, ...extra] = rest;
    return extra.length ? undefined : { group, version, namespace, plural, name, subresource, legacyWatch };
  }
  const [plural, name, subresource, ...extra] = rest;
  return extra.length || !plural ? undefined : { group, version, plural, name, subresource, legacyWatch };
}
