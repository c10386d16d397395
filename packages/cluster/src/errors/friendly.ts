import type { ClusterTarget } from '../kubeconfig/load';
import { ClusterError, firstLine } from './cluster-error';
import { formatPermission, permissionFromForbiddenMessage, type ResourceRef } from './resource-ref';
import { type ApiStatus, apiStatusOf, networkFailureOf } from './status';

export interface ErrorContext {
  target: Pick<ClusterTarget, 'context' | 'server' | 'user'>;
  /** What the failed call tried to do; names the permission when the 403 message does not. */
  request?: ResourceRef;
}

/** Maps anything client-node (or the network under it) throws to a one-line ClusterError. */
export function toClusterError(error: unknown, context: ErrorContext): ClusterError {
  if (error instanceof ClusterError) return error;
  const { target } = context;
  const network = networkFailureOf(error);
  if (network) {
    return new ClusterError(
      'unreachable',
      `cannot reach the API server at ${target.server} (${network}): is the cluster of context "${target.context}" running?`,
      { cause: error, details: { server: target.server } },
    );
  }
  const status = apiStatusOf(error);
  if (!status) return new ClusterError('api', firstLine(error), { cause: error });
  return fromStatus(status, context, error);
}

function fromStatus(status: ApiStatus, { target, request }: ErrorContext, cause: unknown): ClusterError {
  const subject = describeSubject(status, request);
  const where = request?.namespace ? ` in namespace "${request.namespace}"` : '';
  switch (status.code) {
    case 401:
      return new ClusterError(
        'unauthorized',
        `the API server at ${target.server} rejected the credentials of user "${target.user}" (401 Unauthorized): log in again or refresh the token in the kubeconfig (context "${target.context}")`,
        { cause },
      );
    case 403: {
      // RBAC and webhook denials name user, verb and resource; a refused WebSocket upgrade has no
      // body, so the request says what was attempted. Other 403s (a terminating namespace) speak for themselves.
      const parsed = permissionFromForbiddenMessage(status.message);
      const permission = parsed ?? (status.message ? undefined : request);
      if (!permission) return new ClusterError('forbidden', `the API server refused: ${oneLine(status.message ?? 'forbidden')}`, { cause });
      const user = parsed?.user ?? target.user;
      return new ClusterError(
        'forbidden',
        `forbidden: user "${user}" may not ${formatPermission(permission)}: ask a cluster admin to grant it (context "${target.context}")`,
        { cause, details: { permission, user } },
      );
    }
    case 404:
      return new ClusterError('not-found', `${subject} not found${where} (context "${target.context}")`, { cause });
    case 409:
      if (status.reason === 'AlreadyExists') {
        return new ClusterError('already-exists', `${subject} already exists${where}: pick another name or delete it first`, { cause });
      }
      return new ClusterError('conflict', `${subject} was changed by someone else at the same time (409 Conflict): run the command again`, { cause });
    case 422:
      return new ClusterError('invalid', oneLine(status.message ?? `${subject} is invalid`), { cause, details: { causes: status.details?.causes } });
    default:
      return new ClusterError(
        'api',
        `the API server at ${target.server} answered ${status.code}${status.reason ? ` ${status.reason}` : ''}: ${oneLine(status.message ?? 'no details')}`,
        { cause },
      );
  }
}

/** `deployment "catalog"`: from the Status details, else from the request, else generic. */
function describeSubject(status: ApiStatus, request: ResourceRef | undefined): string {
  const kind = status.details?.kind ?? request?.resource.split('/')[0];
  const name = status.details?.name ?? request?.name;
  if (!kind) return 'the object';
  const singular = kind.replace(/s$/, '');
  return name ? `${singular} "${name}"` : singular;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Runs one API call and turns its failure into a ClusterError that names what was attempted. */
export async function friendly<T>(context: ErrorContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toClusterError(error, context);
  }
}
