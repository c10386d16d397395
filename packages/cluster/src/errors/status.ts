import { ApiException } from '@kubernetes/client-node';

/** The parts of a Kubernetes Status (the API's error body) that messages are built from. */
export interface ApiStatus {
  code: number;
  reason?: string;
  message?: string;
  details?: { name?: string; group?: string; kind?: string; causes?: Array<{ field?: string; message?: string }> };
}

/**
 * Finds the HTTP status behind any error client-node throws: ApiException (typed and object
 * APIs; its body is the raw response text), Watch errors (statusCode) and WebSocket upgrades
 * that were refused ("Unexpected server response: 403").
 */
export function apiStatusOf(error: unknown): ApiStatus | undefined {
  if (error instanceof ApiException) return { ...parseBody(error.body), code: error.code };
  const e = error as { statusCode?: unknown; message?: unknown; error?: { message?: unknown } } | undefined;
  if (typeof e?.statusCode === 'number') return { code: e.statusCode };
  const message = e?.error?.message ?? e?.message;
  const text = typeof message === 'string' ? message : '';
  const upgrade = /Unexpected server response: (\d{3})/.exec(text);
  return upgrade ? { code: Number(upgrade[1]) } : undefined;
}

function parseBody(body: unknown): Partial<ApiStatus> {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return body.trim() ? { message: body.trim().split('\n')[0] } : {};
    }
  }
  if (!parsed || typeof parsed !== 'object') return {};
  const status = parsed as ApiStatus & { kind?: string };
  return { reason: status.reason, message: status.message, details: status.details };
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_SOCKET: 'connection closed',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'untrusted certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted certificate',
  CERT_HAS_EXPIRED: 'certificate expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not match the server name',
};

/** "connection refused" etc. when the error (or one of its causes) is a network failure. */
export function networkFailureOf(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown; error?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string' && NETWORK_CODES[e.code]) return NETWORK_CODES[e.code];
    e = (e.cause ?? e.error) as typeof e;
  }
  return undefined;
}
