// `kubectl --as NAME [--as-group G]`: the Impersonate-User/-Group headers, allowed to whoever may
// `impersonate` those users and groups (the admin may), as kube-apiserver's impersonation filter.
import type { IncomingMessage } from 'node:http';
import { type ApiError, badRequest, forbidden } from '../api/status';
import type { Attributes } from './attributes';
import type { RbacAuthorizer } from './rbac';
import { groupsOf, type UserInfo } from './users';

const headerValues = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const impersonating = (requester: UserInfo, resource: string, name: string): Attributes => ({
  user: requester,
  verb: 'impersonate',
  resourceRequest: true,
  path: '',
  apiGroup: '',
  apiVersion: 'v1',
  namespace: '',
  resource,
  subresource: '',
  name,
});

/** The user a request acts as: the requester, or whom it impersonates; an ApiError when not allowed. */
export function effectiveUser(req: IncomingMessage, requester: UserInfo, authorizer: RbacAuthorizer): UserInfo | ApiError {
  const name = req.headers['impersonate-user'];
  const groups = headerValues(req.headers['impersonate-group']);
  if (typeof name !== 'string') return groups.length > 0 ? badRequest('requested impersonation of groups without impersonating a user') : requester;
  for (const attributes of [impersonating(requester, 'users', name), ...groups.map((group) => impersonating(requester, 'groups', group))]) {
    const decision = authorizer.authorize(attributes);
    if (!decision.allowed) return forbidden(attributes, decision.reason);
  }
  return { name, groups: groupsOf({ name, groups }) };
}
