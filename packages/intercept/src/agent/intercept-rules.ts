// Which intercepts may exist at all, whoever asks: a personal intercept must not be able to take
// requests that are not marked for it, so it needs a value and a header no ordinary request
// carries anyway; a mirror that selects requests follows the same rule. Shared by the agent (the
// boundary) and the CLI (an early, clear message).
import { DEFAULT_USER_HEADER } from '../tunnel/protocol';

export const INTERCEPT_MODES = ['global', 'personal', 'mirror'] as const;

/**
 * Standard request headers every client sends or a browser sets by itself: routing on them would
 * take other people's requests (`host` takes everything, `user-agent` every browser of a kind).
 */
const STANDARD_REQUEST_HEADERS = new Set([
  'host',
  'cookie',
  'authorization',
  'proxy-authorization',
  'user-agent',
  'accept',
  'accept-encoding',
  'accept-language',
  'accept-charset',
  'connection',
  'content-length',
  'content-type',
  'content-encoding',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'keep-alive',
  'proxy-connection',
  'referer',
  'origin',
  'cache-control',
  'pragma',
  'range',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  'if-range',
  'forwarded',
  'via',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  'traceparent',
  'tracestate',
  'baggage',
  'sec-fetch-site',
  'sec-fetch-mode',
  'sec-fetch-dest',
  'sec-fetch-user',
  'sec-ch-ua',
  'sec-ch-ua-mobile',
  'sec-ch-ua-platform',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-extensions',
  'sec-websocket-protocol',
  'dnt',
  'priority',
  'upgrade-insecure-requests',
  'x-requested-with',
]);

/** RFC 9110 token characters: what a header name may hold. */
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]{1,128}$/;
/** Visible ASCII and spaces inside, nothing that could split or fold a header. */
const HEADER_VALUE = /^[\x21-\x7e]([\x20-\x7e]{0,1022}[\x21-\x7e])?$/;
const PORT_NAME = /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;

/** Why this intercept may not be registered, or undefined when it may. */
export function interceptSpecProblem(spec: unknown): string | undefined {
  if (!isObject(spec)) return 'the intercept must be an object with a mode';
  const { mode, port } = spec;
  if (!INTERCEPT_MODES.includes(mode as never))
    return `intercept mode must be ${INTERCEPT_MODES.slice(0, -1).join(', ')} or ${INTERCEPT_MODES.at(-1)}, got ${describe(mode)}`;
  if (
    port !== undefined &&
    !(typeof port === 'string' && PORT_NAME.test(port)) &&
    !(Number.isInteger(port) && (port as number) >= 1 && (port as number) <= 65535)
  ) {
    return `intercept port must be a port name or a number from 1 to 65535, got ${describe(port)}`;
  }
  if (mode === 'global') return undefined;
  // A mirror with neither header nor value copies every request; with either, it selects like a personal intercept.
  if (mode === 'mirror' && spec.header === undefined && spec.value === undefined) return undefined;
  return selectorProblem(mode as 'personal' | 'mirror', spec.header, spec.value);
}

/** Why a personal intercept, or a mirror, selecting requests by this header and value would be unsafe or malformed. */
export function selectorProblem(mode: 'personal' | 'mirror', header: unknown, value: unknown): string | undefined {
  const what = mode === 'personal' ? 'a personal intercept' : 'a mirror';
  const name = header === undefined ? DEFAULT_USER_HEADER : header;
  if (typeof name !== 'string' || !HEADER_NAME.test(name.toLowerCase()))
    return `${what}'s header must be a header name like ${DEFAULT_USER_HEADER}, got ${describe(name)}`;
  const lower = name.toLowerCase();
  if (STANDARD_REQUEST_HEADERS.has(lower) || lower.startsWith(':')) {
    return mode === 'personal'
      ? `a personal intercept cannot route on the standard request header ${lower}: every request carries it, so it would take other people's traffic; use a header of your own such as ${DEFAULT_USER_HEADER}`
      : `a mirror cannot select on the standard request header ${lower}: every request carries it; mirror everything (no header) or use a header of your own such as ${DEFAULT_USER_HEADER}`;
  }
  if (typeof value !== 'string' || value.trim() === '') return `${what} needs a non-empty value for ${lower} (e.g. your name)`;
  if (!HEADER_VALUE.test(value)) return `the value for ${lower} must be 1 to 1024 visible ASCII characters, got ${describe(value)}`;
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short, safe rendering of what was sent, for messages. */
export function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
