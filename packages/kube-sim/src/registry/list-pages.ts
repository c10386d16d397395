// Lists as kube-apiserver serves them (storage/etcd3 GetList, storage.ValidateListOptions and
// the watch cache's shouldDelegateList): `limit` pages in key order with a `continue` token
// (base64url JSON {"v","rv","start"}, as storage/continue.go) that reads every page at the
// first page's resourceVersion, `remainingItemCount` when no selector narrows the list, and
// resourceVersion / resourceVersionMatch:
// - unset: the newest state (a page per `limit`);
// - "0": any state (the watch cache: `limit` is ignored and the whole list comes back);
// - NotOlderThan (or no match and no limit): the newest state, 504 when the version is newer;
// - Exact (or no match with a limit): the state at that version, 410 once it left the history.
import type { ResourceType } from '../api/resources';
import { badRequest, resourceExpired, tooLargeResourceVersion } from '../api/status';
import type { Storage } from '../store/storage';
import type { KubeObject } from '../store/types';

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListResult<T = KubeObject> {
  items: T[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

const EXPIRED_LIST = 'The resourceVersion for the provided list is too old.';
const INCONSISTENT_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, ' +
  'or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an ' +
  'inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

function encodeContinue(start: string, resourceVersion: number): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: resourceVersion, start })).toString('base64url');
}

/** storage.DecodeContinue: the start key (relative to the list's prefix) and resourceVersion. */
function decodeContinue(token: string): { start: string; resourceVersion: number } {
  const invalid = (why: string) => badRequest(`invalid continue token: continue key is not valid${why}`);
  const bad = token.search(/[^A-Za-z0-9_-]/);
  if (bad >= 0 || token.length % 4 === 1) throw invalid(`: illegal base64 data at input byte ${bad >= 0 ? bad : token.length - 1}`);
  let parsed: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (error) {
    throw invalid(`: ${(error as Error).message}`);
  }
  if (parsed?.v !== 'meta.k8s.io/v1') throw invalid(`: server does not recognize this encoded version ${String(parsed?.v ?? '')}`);
  if (!Number.isInteger(parsed.rv) || parsed.rv === 0) throw invalid(': incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof parsed.start !== 'string' || parsed.start === '') throw invalid(': encoded start key empty (version meta.k8s.io/v1)');
  const cleaned = `/${parsed.start}`.replace(/\/+/g, '/');
  if (cleaned !== `/${parsed.start}` || /(^|\/)\.\.?(\/|$)/.test(parsed.start)) throw invalid(`: ${parsed.start}`);
  return { start: parsed.start, resourceVersion: parsed.rv as number };
}

/** APIObjectVersioner.ParseResourceVersion ("" and "0" are 0). */
function parseResourceVersion(text: string | undefined): number {
  if (!text || text === '0') return 0;
  if (!/^\d+$/.test(text)) {
    throw badRequest(`invalid resource version: resourceVersion: Invalid value: ${JSON.stringify(text)}: strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`);
  }
  return Number(text);
}

/** One page of a list. `matches` applies the selectors; `selective` says whether any was given. */
export function listPage<T = KubeObject>(storage: Storage, type: ResourceType, options: ListOptions, matches: (object: KubeObject) => boolean, selective: boolean): ListResult<T> {
  const current = storage.resourceVersion;
  const prefix = type.namespaced ? (options.namespace ? `${options.namespace}/` : '') : '/';
  let readAt = current;
  let after: string | undefined;
  let limit = options.limit && options.limit > 0 ? options.limit : undefined;
  if (options.continue) {
    if (options.resourceVersion && options.resourceVersion !== '0') throw badRequest('specifying resource version is not allowed when using continue');
    const token = decodeContinue(options.continue);
    if (token.resourceVersion > 0) readAt = token.resourceVersion;
    after = prefix + token.start;
    if (readAt < storage.oldestResourceVersion) throw resourceExpired(INCONSISTENT_CONTINUE, encodeContinue(token.start, -1));
  } else if (options.resourceVersion !== undefined) {
    const requested = parseResourceVersion(options.resourceVersion);
    const exact = options.resourceVersionMatch === 'Exact' || (!options.resourceVersionMatch && limit !== undefined && requested > 0);
    if (requested > current) throw tooLargeResourceVersion(requested, current);
    if (exact) {
      if (requested < storage.oldestResourceVersion) throw resourceExpired(EXPIRED_LIST);
      readAt = requested;
    }
    if (options.resourceVersion === '0') limit = undefined;
  }

  const entries = storage.listAt(type.plural, readAt, prefix).filter(([key]) => after === undefined || key > after);
  const items: KubeObject[] = [];
  let last = -1;
  for (let i = 0; i < entries.length && (limit === undefined || items.length < limit); i++) {
    if (matches(entries[i][1])) items.push(structuredClone(entries[i][1]));
    last = i;
  }
  const result: ListResult<T> = { items: items as T[], resourceVersion: String(readAt) };
  if (limit !== undefined && last < entries.length - 1) {
    result.continue = encodeContinue(`${entries[last][0].slice(prefix.length)}\u0000`, readAt);
    if (!selective) result.remainingItemCount = entries.length - 1 - last;
  }
  return result;
}
