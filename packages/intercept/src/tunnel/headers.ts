import type { IncomingHttpHeaders } from 'node:http';

/**
 * Headers that describe one hop and are not passed on: those of HTTP/1.1 connection handling,
 * which HTTP/2 forbids (RFC 9113 8.2.2), and Expect, which the agent's HTTP server already
 * answered ("100 Continue") on its own hop. Each side of the tunnel rebuilds its own.
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'host', 'http2-settings', 'expect']);

/**
 * Appends the headers to `list`, without hop-by-hop ones, pseudo-headers (":x") and ffk tunnel
 * headers. A flat `[name, value, …]` list (a repeated header repeats its name) is what
 * node:http2, node:http's writeHead and undici take as it is; an object each would copy again.
 */
export function endToEndHeaders(headers: IncomingHttpHeaders, list: string[] = []): string[] {
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || name.startsWith(':') || HOP_BY_HOP.has(name) || name.startsWith('ffk-')) continue;
    if (typeof value === 'string') list.push(name, value);
    else for (const one of value) list.push(name, one);
  }
  return list;
}

/** Whether an HTTP/1.1 request carries a body (RFC 9112 6.3: a length or a transfer coding). */
export function hasBody(headers: IncomingHttpHeaders): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length !== '0';
}
