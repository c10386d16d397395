import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The request headers that carry a developer's identity through the chain (web -> catalog ->
 * inventory), so a personal intercept further down still sees them: every `x-ffk-*` header and
 * the W3C `baggage` header. Nothing else is forwarded (no cookies, no authorization).
 */
export function isPropagated(header: string): boolean {
  const name = header.toLowerCase();
  return name.startsWith('x-ffk-') || name === 'baggage';
}

const storage = new AsyncLocalStorage<Record<string, string>>();

/** The propagated headers of `headers`, as a plain object ready for fetch. */
export function pickPropagated(headers: IncomingHttpHeaders): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && isPropagated(name)) picked[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return picked;
}

/** Runs `fn` (and everything it awaits) with `headers` as the current request's propagated headers. */
export function withPropagatedHeaders<T>(headers: Record<string, string>, fn: () => T): T {
  return storage.run(headers, fn);
}

/** The propagated headers of the request being handled, or {} outside a request. */
export function propagatedHeaders(): Record<string, string> {
  return storage.getStore() ?? {};
}
