// Errors as the API server sends them: a meta/v1 Status with the HTTP code, the reason a client
// switches on (NotFound, AlreadyExists, Conflict, Invalid, Expired...) and details.
import type { Attributes } from '../auth/attributes';

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
    /** A Status's ListMeta: the continue token a 410 for an expired continue hands back. */
    readonly listMeta: { continue?: string } = {},
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: this.listMeta,
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** How errors name a resource: `pods`, `deployments.apps`. */
export interface ResourceName {
  group: string;
  plural: string;
}

const qualified = (r: ResourceName) => (r.group ? `${r.plural}.${r.group}` : r.plural);
const details = (r: ResourceName, name: string): StatusDetails => ({ name, ...(r.group ? { group: r.group } : {}), kind: r.plural });

export const notFound = (r: ResourceName, name: string) => new ApiError(404, 'NotFound', `${qualified(r)} "${name}" not found`, details(r, name));

export const alreadyExists = (r: ResourceName, name: string) =>
  new ApiError(409, 'AlreadyExists', `${qualified(r)} "${name}" already exists`, details(r, name));

export const conflict = (r: ResourceName, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again') =>
  new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(r)} "${name}": ${why}`, details(r, name));

export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);

export const methodNotAllowed = () => new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');

export const unsupportedMediaType = (type: string) =>
  new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got ${type || 'none'})`,
  );

export const expired = (requested: number, oldest: number) => new ApiError(410, 'Expired', `too old resource version: ${requested} (${oldest})`);

/** errors.NewResourceExpired: a list or continue token older than the kept history. */
export const resourceExpired = (message: string, continueToken?: string) =>
  new ApiError(410, 'Expired', message, undefined, continueToken ? { continue: continueToken } : {});

/** storage.NewTooLargeResourceVersionError: a resourceVersion newer than the server has. */
export const tooLargeResourceVersion = (requested: number, current: number) =>
  new ApiError(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });

export const unauthorized = () => new ApiError(401, 'Unauthorized', 'Unauthorized');

export const notFoundPath = () => new ApiError(404, 'NotFound', 'the server could not find the requested resource');

/** 422 Invalid, with one cause per field, worded as the API server words them. */
export function invalid(kind: string, group: string, name: string, causes: StatusCause[]): ApiError {
  // The message lists each distinct error once (field.ErrorList.ToAggregate).
  const parts = [...new Set(causes.map((c) => (c.field !== undefined ? `${c.field}: ${c.message}` : c.message)))];
  const summary = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${kind}${group ? `.${group}` : ''} "${name}" is invalid: ${summary}`, {
    ...(name ? { name } : {}),
    ...(group ? { group } : {}),
    kind,
    causes,
  });
}

/** What a 403 from the authorizer says (kube-apiserver's forbiddenMessage and NewForbidden). */
export function forbidden(request: Attributes, reason: string): ApiError {
  const { user, verb, apiGroup, namespace, resource, subresource, name } = request;
  let denial: string;
  if (!request.resourceRequest) denial = `User "${user.name}" cannot ${verb} path "${request.path}"`;
  else {
    const target = subresource ? `${resource}/${subresource}` : resource;
    const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
    denial = `User "${user.name}" cannot ${verb} resource "${target}" in API group "${apiGroup}" ${scope}`;
  }
  if (reason) denial = `${denial}: ${reason}`;
  const qualifiedResource = qualified({ group: apiGroup, plural: resource });
  const message = !qualifiedResource
    ? `forbidden: ${denial}`
    : name
      ? `${qualifiedResource} "${name}" is forbidden: ${denial}`
      : `${qualifiedResource} is forbidden: ${denial}`;
  return new ApiError(403, 'Forbidden', message, {
    ...(name ? { name } : {}),
    ...(apiGroup ? { group: apiGroup } : {}),
    ...(resource ? { kind: resource } : {}),
  });
}
