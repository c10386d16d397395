// The options object of each verb (meta/v1 ListOptions, GetOptions, CreateOptions,
// UpdateOptions, PatchOptions, DeleteOptions) decoded from the query and validated as
// kube-apiserver's handlers do (endpoints/handlers/{get,create,update,patch,delete}.go with
// apimachinery's meta/v1/validation and meta/internalversion/validation). A parameter that does
// not parse is a 400 BadRequest; a value the options type refuses is a 422 Invalid naming
// `<Kind>Options.meta.k8s.io ""`. The README's parameter table lists each parameter.
import type { DeleteOptions, FieldValidation, PatchType, WriteOptions } from '../registry/object-store';
import { fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, fieldTooLong } from './field-errors';
import { QueryParameters } from './query-parameters';
import { badRequest, invalid, type StatusCause } from './status';

const META_GROUP = 'meta.k8s.io';

export interface ListRequest {
  labelSelector?: string;
  fieldSelector?: string;
  watch: boolean;
  allowWatchBookmarks: boolean;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  timeoutSeconds?: number;
  limit?: number;
  continue?: string;
  /** Undefined when not sent (a nil *bool), which the watch rules tell apart from false. */
  sendInitialEvents?: boolean;
}

function refuse(kind: string, causes: StatusCause[]): void {
  if (causes.length > 0) throw invalid(kind, META_GROUP, '', causes);
}

/** ValidateListOptions and validateWatchOptions (the WatchList feature on, as in 1.32). */
function listCauses(options: ListRequest): StatusCause[] {
  const causes: StatusCause[] = [];
  const match = options.resourceVersionMatch;
  if (options.watch) {
    if (options.sendInitialEvents !== undefined && match !== 'NotOlderThan') {
      causes.push(fieldForbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
    }
    if (match) {
      if (options.sendInitialEvents === undefined) causes.push(fieldForbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
      if (match !== 'NotOlderThan') causes.push(fieldNotSupported('resourceVersionMatch', match, ['NotOlderThan']));
      if (options.continue) causes.push(fieldForbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    }
    return causes;
  }
  if (match) {
    if (!options.resourceVersion) causes.push(fieldForbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (options.continue) causes.push(fieldForbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    if (match !== 'Exact' && match !== 'NotOlderThan') causes.push(fieldNotSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
    if (match === 'Exact' && options.resourceVersion === '0') causes.push(fieldForbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  }
  if (options.sendInitialEvents !== undefined) causes.push(fieldForbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  return causes;
}

/** ListOptions of a list, watch or deletecollection. */
export function listOptions(query: URLSearchParams, forceWatch = false): ListRequest {
  const q = new QueryParameters(query);
  const options: ListRequest = {
    labelSelector: q.string('labelSelector'),
    fieldSelector: q.string('fieldSelector'),
    watch: forceWatch || (q.boolean('watch') ?? false),
    allowWatchBookmarks: q.boolean('allowWatchBookmarks') ?? false,
    resourceVersion: q.string('resourceVersion'),
    resourceVersionMatch: q.string('resourceVersionMatch'),
    timeoutSeconds: q.int64('timeoutSeconds'),
    limit: q.int64('limit'),
    continue: q.string('continue'),
    sendInitialEvents: q.boolean('sendInitialEvents'),
  };
  refuse('ListOptions', listCauses(options));
  return options;
}

/** GetOptions: only resourceVersion. */
export function getOptions(query: URLSearchParams): { resourceVersion?: string } {
  return { resourceVersion: new QueryParameters(query).string('resourceVersion') };
}

function dryRunCauses(values: string[]): StatusCause[] {
  return values.every((v) => v === 'All') ? [] : [fieldNotSupported('dryRun', values, ['All'])];
}

function fieldManagerCauses(manager: string | undefined): StatusCause[] {
  if (!manager) return [];
  const causes: StatusCause[] = [];
  if (Buffer.byteLength(manager) > 128) causes.push(fieldTooLong('fieldManager', 128));
  let position = 0;
  for (const char of manager) {
    if (/[\p{C}]/u.test(char)) {
      const code = char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      causes.push(fieldInvalid('fieldManager', manager, `invalid character U+${code} (at position ${position})`));
    }
    position += Buffer.byteLength(char);
  }
  return causes;
}

const FIELD_VALIDATION = ['', 'Ignore', 'Strict', 'Warn'];

/** CreateOptions, UpdateOptions and PatchOptions (with `patchType`): dryRun, fieldManager, fieldValidation, force. */
export function writeOptions(query: URLSearchParams, verb: 'create' | 'update' | { patch: PatchType }, subresource?: string): WriteOptions {
  const q = new QueryParameters(query);
  const dryRun = q.strings('dryRun');
  const fieldManager = q.string('fieldManager');
  const fieldValidation = q.query.get('fieldValidation') ?? '';
  const force = q.boolean('force');
  const causes: StatusCause[] = [];
  let kind = verb === 'create' ? 'CreateOptions' : 'UpdateOptions';
  if (typeof verb === 'object') {
    kind = 'PatchOptions';
    if (verb.patch !== 'apply' && force !== undefined) causes.push(fieldForbidden('force', 'may not be specified for non-apply patch'));
    if (verb.patch === 'apply' && !fieldManager) causes.push(fieldRequired('fieldManager', 'is required for apply patch'));
  }
  causes.push(...fieldManagerCauses(fieldManager), ...dryRunCauses(dryRun));
  if (!FIELD_VALIDATION.includes(fieldValidation)) causes.push(fieldNotSupported('fieldValidation', fieldValidation, FIELD_VALIDATION));
  refuse(kind, causes);
  return {
    subresource,
    dryRun: dryRun.length > 0,
    fieldManager,
    fieldValidation: (fieldValidation || undefined) as FieldValidation | undefined,
    force: force ?? false,
    warnings: [],
  };
}

const PROPAGATION = ['Foreground', 'Background', 'Orphan'];

type DeleteBody = { gracePeriodSeconds?: number; propagationPolicy?: string; orphanDependents?: boolean; preconditions?: DeleteOptions['preconditions']; dryRun?: string[] };

/** DeleteOptions: from the body when there is one, else from the query (never both), then validated. */
export function deleteOptions(query: URLSearchParams, body: unknown): DeleteOptions {
  let options: DeleteBody;
  if (body !== undefined) {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the body of a DELETE must be a DeleteOptions object');
    options = body as DeleteBody;
  } else {
    const q = new QueryParameters(query);
    options = {
      gracePeriodSeconds: q.int64('gracePeriodSeconds'),
      propagationPolicy: q.string('propagationPolicy'),
      orphanDependents: q.boolean('orphanDependents'),
      dryRun: q.strings('dryRun'),
    };
  }
  const causes: StatusCause[] = [];
  const policy = options.propagationPolicy;
  if (options.orphanDependents !== undefined && options.orphanDependents !== null && policy !== undefined) {
    causes.push(fieldInvalid('propagationPolicy', policy, 'orphanDependents and deletionPropagation cannot be both set'));
  }
  if (policy !== undefined && !PROPAGATION.includes(policy)) causes.push(fieldNotSupported('propagationPolicy', policy, [...PROPAGATION, 'nil']));
  causes.push(...dryRunCauses(options.dryRun ?? []));
  refuse('DeleteOptions', causes);
  return {
    propagationPolicy: (policy ?? (options.orphanDependents === true ? 'Orphan' : undefined)) as DeleteOptions['propagationPolicy'],
    gracePeriodSeconds: options.gracePeriodSeconds ?? undefined,
    preconditions: options.preconditions,
    dryRun: (options.dryRun ?? []).length > 0,
  };
}
