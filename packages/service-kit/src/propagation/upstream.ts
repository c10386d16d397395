import { propagatedHeaders } from './context';

export type UpstreamFailure = 'timeout' | 'unreachable' | 'status' | 'invalid-response';

/** A call to another service that did not give a usable answer; the message says which and why. */
export class UpstreamError extends Error {
  override name = 'UpstreamError';
  // Plain fields, not parameter properties: Node's own type stripping runs this file as it is.
  readonly upstream: string;
  readonly failure: UpstreamFailure;
  readonly status?: number;
  constructor(upstream: string, failure: UpstreamFailure, message: string, status?: number) {
    super(message);
    this.upstream = upstream;
    this.failure = failure;
    this.status = status;
  }
}

export interface UpstreamOptions {
  /** Used in messages, e.g. "inventory". */
  name: string;
  /** e.g. http://inventory (a trailing slash is ignored). */
  baseUrl: string;
  /** Whole-call budget, headers and body included. */
  timeoutMs: number;
}

export interface Upstream {
  readonly name: string;
  readonly baseUrl: string;
  /** fetch with the current request's x-ffk-* and baggage headers and the timeout; any HTTP status resolves. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** GET (or `init`) expecting a 2xx JSON answer; anything else throws an UpstreamError. */
  json<T>(path: string, init?: RequestInit): Promise<{ body: T; response: Response }>;
  /**
   * Opens a keep-alive connection now (GET /healthz, answer and failure ignored), so that the first
   * real call of a just-started service does not pay for it: call it while the service prepares.
   * Resolves once the connection is ready (or could not be opened); never rejects.
   */
  warm(): Promise<void>;
}

function explain(error: unknown, name: string, what: string, timeoutMs: number): UpstreamError {
  const cause = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (cause.name === 'TimeoutError') return new UpstreamError(name, 'timeout', `${name} did not answer within ${timeoutMs} ms (${what})`);
  const code = cause.cause?.code;
  if (code === 'ECONNREFUSED') return new UpstreamError(name, 'unreachable', `${name} refused the connection (${what}): is it running?`);
  const detail = cause.cause?.message ?? cause.message ?? String(error);
  return new UpstreamError(name, 'unreachable', `${name} could not be reached (${what}): ${detail}`);
}

const idempotent = new Set(['GET', 'HEAD', 'OPTIONS']);
const resetCodes = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/**
 * fetch, retried once when a pooled keep-alive connection turns out to be closed by a peer that
 * is shutting down (a pod in a rolling update): the request never reached a handler, so an
 * idempotent one is safe to send again on a fresh connection while the timeout allows.
 */
async function fetchOnce(url: string, init: RequestInit & { signal: AbortSignal }): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    const retryable = idempotent.has((init.method ?? 'GET').toUpperCase()) && code !== undefined && resetCodes.has(code);
    if (!retryable || init.signal.aborted) throw error;
    return fetch(url, init);
  }
}

/** A client for one upstream service. Calls never hang: each is cut off after `timeoutMs`. */
export function createUpstream({ name, baseUrl, timeoutMs }: UpstreamOptions): Upstream {
  const base = baseUrl.replace(/\/+$/, '');

  async function call(path: string, init: RequestInit, read: (response: Response, what: string) => Promise<void>) {
    const url = `${base}${path}`;
    const what = `${init.method ?? 'GET'} ${url}`;
    const timeout = AbortSignal.timeout(timeoutMs);
    const headers = new Headers(propagatedHeaders());
    new Headers(init.headers).forEach((value, key) => headers.set(key, value));
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      const response = await fetchOnce(url, { ...init, headers, signal });
      // The timeout also covers reading the body, which is where a slow server usually stalls.
      await read(response, what);
      return response;
    } catch (error) {
      throw error instanceof UpstreamError ? error : explain(error, name, what, timeoutMs);
    }
  }

  return {
    name,
    baseUrl: base,
    fetch: (path, init = {}) => call(path, init, async () => {}),
    async json<T>(path: string, init: RequestInit = {}) {
      let body: T | undefined;
      const response = await call(path, init, async (answer, what) => {
        if (!answer.ok) {
          await answer.body?.cancel();
          throw new UpstreamError(name, 'status', `${name} answered ${answer.status} (${what})`, answer.status);
        }
        const text = await answer.text();
        try {
          body = JSON.parse(text) as T;
        } catch {
          throw new UpstreamError(name, 'invalid-response', `${name} answered with something that is not JSON (${what})`);
        }
      });
      return { body: body as T, response };
    },
    async warm() {
      // GET, body read to the end: fetch does not keep a connection after HEAD or a cancelled body.
      // The catch covers the body too (a reset or the timeout mid-body): `void warm()` must not reject.
      await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(timeoutMs) })
        .then((response) => response.arrayBuffer())
        .then(
          () => {},
          () => {},
        );
    },
  };
}
