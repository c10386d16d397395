// meta.k8s.io/v1 Table answers: the columns `kubectl get` prints come from the server, as they
// do from a real API server's table convertors.
import type { ListResult } from '../registry/list-pages';
import { strategyFor } from '../registry/strategies';
import type { KubeObject } from '../store/types';
import { AGE, NAME } from './columns';
import { fieldInvalid } from './field-errors';
import { invalid } from './status';

/** Accept asks for a Table (kubectl get). */
export function wantsTable(accept: string | undefined): boolean {
  return /as=Table/.test(accept ?? '');
}

/** TableOptions.includeObject, validated as ValidateTableOptions does. */
export function includeObjectOption(query: URLSearchParams): string | undefined {
  const include = query.get('includeObject') ?? '';
  if (!['', 'None', 'Metadata', 'Object'].includes(include)) {
    throw invalid('TableOptions', 'meta.k8s.io', '', [fieldInvalid('includeObject', include, "must be 'Metadata', 'Object', 'None', or empty")]);
  }
  return include || undefined;
}

function rowObject(object: KubeObject, include: string | undefined): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return object;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

/** A list (or one page of it: the ListMeta carries continue and remainingItemCount) as a Table. */
export function toTable(kind: string, list: ListResult, includeObject: string | undefined) {
  const columns = strategyFor(kind).columns ?? [NAME, AGE];
  const { items: objects, ...metadata } = list;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: columns.map(({ name, type, format, priority, description }) => ({
      name,
      type,
      format: format ?? '',
      description: description ?? '',
      priority: priority ?? 0,
    })),
    rows: objects.map((object) => ({ cells: columns.map((c) => c.cell(object)), object: rowObject(object, includeObject) })),
  };
}

/** One object (a get, a watch event) as a Table. */
export const objectTable = (kind: string, object: KubeObject, includeObject: string | undefined) =>
  toTable(kind, { items: [object], resourceVersion: object.metadata.resourceVersion ?? '' }, includeObject);
