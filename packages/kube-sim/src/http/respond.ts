import type { ServerResponse } from 'node:http';
import { ApiError } from '../api/status';

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-cache, private' });
  res.end(text);
}

/** Any thrown error as a Status; unexpected ones become 500 InternalError. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(500, 'InternalError', `Internal error occurred: ${(error as Error)?.message ?? String(error)}`);
}

export function sendError(res: ServerResponse, error: unknown): void {
  const apiError = toApiError(error);
  if (apiError.code === 500) console.error('kube-sim: internal error:', error);
  if (res.headersSent) {
    res.end();
    return;
  }
  // A body past the limit was not read to its end: this connection cannot carry another request.
  if (apiError.code === 413) res.setHeader('connection', 'close');
  sendJson(res, apiError.code, apiError.toStatus());
}
