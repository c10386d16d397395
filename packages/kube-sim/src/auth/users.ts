// Authentication: a bearer token names a user, as kube-apiserver's static token file does. The
// admin token belongs to `kubernetes-admin` in `system:masters` (what kind's kubeconfig gives);
// other users are declared with startSim({ users }) and are held to RBAC.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Who made a request, as authorizers see it. */
export interface UserInfo {
  name: string;
  groups: string[];
}

/** An extra user of the simulator (startSim's `users` option). */
export interface SimUser {
  name: string;
  /** Default: random (read it back from `sim.users`). */
  token?: string;
  /** Groups besides `system:authenticated` (and, for service accounts, their `system:serviceaccounts*` groups). */
  groups?: string[];
}

export const PRIVILEGED_GROUP = 'system:masters';
export const AUTHENTICATED_GROUP = 'system:authenticated';
export const ADMIN_USER: UserInfo = { name: 'kubernetes-admin', groups: [PRIVILEGED_GROUP, AUTHENTICATED_GROUP] };

const SERVICE_ACCOUNT = /^system:serviceaccount:([^:]+):([^:]+)$/;

/** The groups the authenticators add: everyone is authenticated; service accounts by namespace. */
export function groupsOf(user: SimUser): string[] {
  const groups = new Set(user.groups ?? []);
  const account = SERVICE_ACCOUNT.exec(user.name);
  if (account) groups.add('system:serviceaccounts').add(`system:serviceaccounts:${account[1]}`);
  groups.add(AUTHENTICATED_GROUP);
  return [...groups];
}

export interface TokenUser extends UserInfo {
  token: string;
}

/** Checks the declared users (one clear line for a bad entry) and gives each a token. */
export function resolveUsers(users: SimUser[], adminToken: string): TokenUser[] {
  const tokens = new Set([adminToken]);
  return users.map((user) => {
    if (!user.name || /\s/.test(user.name))
      throw new Error(`kube-sim: user name ${JSON.stringify(user.name)} is not valid: give a non-empty name without spaces`);
    const token = user.token ?? randomBytes(24).toString('hex');
    if (tokens.has(token)) throw new Error(`kube-sim: user "${user.name}" has a token another user (or the admin) already has: give each user its own token`);
    tokens.add(token);
    return { name: user.name, groups: groupsOf(user), token };
  });
}

const bearer = (req: IncomingMessage) => {
  const header = req.headers.authorization ?? '';
  return Buffer.from(header.startsWith('Bearer ') ? header.slice(7).trim() : '');
};

const sameToken = (given: Buffer, expected: string) => {
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
};

/** The user a request's bearer token names, or undefined (401). */
export function authenticator(adminToken: string, users: TokenUser[]): (req: IncomingMessage) => UserInfo | undefined {
  return (req) => {
    const given = bearer(req);
    if (sameToken(given, adminToken)) return ADMIN_USER;
    const user = users.find((u) => sameToken(given, u.token));
    return user && { name: user.name, groups: user.groups };
  };
}

// The authenticated user travels with the request to handlers that answer about it (access reviews).
const requestUsers = new WeakMap<IncomingMessage, UserInfo>();
export const setRequestUser = (req: IncomingMessage, user: UserInfo) => requestUsers.set(req, user);
export function requestUser(req: IncomingMessage): UserInfo {
  const user = requestUsers.get(req);
  if (!user) throw new Error('a request reached a handler without an authenticated user');
  return user;
}
