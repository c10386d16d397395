// kube-apiserver's limits on what a client can send, so that no request (from any user, even one
// without rights) stops the simulator or makes it hold unbounded memory.
import type { IncomingMessage } from 'node:http';
import { ApiError, badRequest } from '../api/status';

/** The API server's maxRequestBodyBytes: 3 MiB (etcd's default request limit is a little under 1.5 MiB per value). */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

export const requestTooLarge = () => new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_REQUEST_BODY_BYTES}`);

/** A character a request target cannot hold as it is: a control character or a space. */
export function isControlOrSpace(char: string): boolean {
  const code = char.charCodeAt(0);
  return code <= 0x20 || code === 0x7f;
}

/**
 * The request's URL, or 400 for a target Go's URL parser refuses too: a malformed %-escape,
 * control characters. Checked before authentication, as the API server's HTTP layer does.
 */
export function requestUrl(req: IncomingMessage): URL {
  const target = req.url ?? '/';
  if (!target.startsWith('/') || [...target].some(isControlOrSpace)) throw badRequest(`invalid request URI: ${JSON.stringify(target.slice(0, 100))}`);
  // Appended, not resolved: `//x` is a path here, as in Go, not a host.
  let url: URL;
  try {
    url = new URL(`https://kube-sim${target}`);
  } catch {
    throw badRequest(`invalid request URI: ${JSON.stringify(target.slice(0, 100))}`);
  }
  try {
    decodeURIComponent(url.pathname);
    // Query values are decoded by URLSearchParams, which never throws; the path is decoded by us.
  } catch {
    throw badRequest(`invalid URL escape in the request path ${JSON.stringify(url.pathname.slice(0, 100))}: a % must be followed by two hex digits`);
  }
  return url;
}

/**
 * Reads the whole body, refusing with 413 past the limit: by content-length before reading a
 * byte, else as soon as the count passes it. The rest is never read (the answer closes the
 * connection, see respond.ts), so a 300 MB body costs no more than 3 MiB.
 */
export function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > MAX_REQUEST_BODY_BYTES) return reject(requestTooLarge());
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length <= MAX_REQUEST_BODY_BYTES) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      chunks.length = 0;
      reject(requestTooLarge());
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, length)));
    req.once('error', reject);
  });
}
