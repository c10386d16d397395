// Shape and range checks of what a connector sends on the control stream. A peer holding the
// token is still a peer: nothing it sends is used before it passed these checks, and a bad
// message costs at most its own tunnel, never the agent (see tunnel.ts).
import type { ConnectorMessage, InterceptSpec } from '../tunnel/protocol';
import { describe, interceptSpecProblem } from './intercept-rules';

type Hello = Extract<ConnectorMessage, { type: 'hello' }>;
type Dial = Extract<ConnectorMessage, { type: 'dial' }>;

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Ids travel back as an HTTP/2 header value: keep them to safe characters. */
const ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** A DNS name (cluster Service names, FQDNs) or an IPv4/IPv6 literal. */
const HOST = /^(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\.?$/;
const IPV6 = /^[0-9A-Fa-f:.]{2,45}$/;
/** Visible characters and spaces, no control characters (they would forge log lines). */
const OWNER = /^[^\p{Cc}]{1,256}$/u;

/** The fields of a hello besides the token (checked first, in constant time, by the tunnel). */
export function checkHello(message: Record<string, unknown>): Checked<Hello> {
  const { connectorId, owner, intercept } = message;
  if (typeof connectorId !== 'string' || !ID.test(connectorId))
    return bad(`hello needs a connectorId of 1 to 128 letters, digits or ._:- (got ${describe(connectorId)})`);
  if (typeof owner !== 'string' || !OWNER.test(owner))
    return bad(`hello needs an owner of 1 to 256 characters without control characters (got ${describe(owner)})`);
  if (intercept !== undefined) {
    const problem = interceptSpecProblem(intercept);
    if (problem) return bad(problem);
  }
  const hello: Hello = { type: 'hello', protocol: message.protocol as number, token: message.token as string, connectorId, owner };
  if (intercept !== undefined) hello.intercept = intercept as InterceptSpec;
  return { ok: true, value: hello };
}

/** A dial request; `id` is returned with a failure when it was usable, so the answer can name it. */
export function checkDial(message: Record<string, unknown>): Checked<Dial> & { id?: string } {
  const { id, host, port } = message;
  if (typeof id !== 'string' || !ID.test(id)) return bad(`dial needs an id of 1 to 128 letters, digits or ._:- (got ${describe(id)})`);
  if (typeof host !== 'string' || !(HOST.test(host) || (host.includes(':') && IPV6.test(host)))) {
    return { ...bad(`dial host must be a host name or an IP address, got ${describe(host)}`), id };
  }
  if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) {
    return { ...bad(`dial port must be a whole number from 1 to 65535, got ${describe(port)}`), id };
  }
  return { ok: true, value: { type: 'dial', id, host, port: port as number } };
}

function bad(problem: string): { ok: false; problem: string } {
  return { ok: false, problem };
}
