import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/**
 * Headers that describe one hop of HTTP/1.1 and are forbidden in HTTP/2 (RFC 9113 8.2.2);
 * each side of the tunnel rebuilds its own connection handling.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'host', 'http2-settings']);

/** Copies headers without hop-by-hop ones, pseudo-headers (":x") and ffk tunnel headers. */
export function endToEndHeaders(headers: IncomingHttpHeaders, extra: OutgoingHttpHeaders = {}): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) {
    if (name.startsWith(':') || HOP_BY_HOP.has(name) || name.startsWith('ffk-')) continue;
    out[name] = headers[name];
  }
  return Object.assign(out, extra);
}

/** Whether an HTTP/1.1 request carries a body (RFC 9112 6.3: a length or a transfer coding). */
export function hasBody(headers: IncomingHttpHeaders): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length !== '0';
}
