import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { type ClientHttp2Stream, constants, type ServerHttp2Stream } from 'node:http2';
import { endToEndHeaders } from '../tunnel/headers';

const { NGHTTP2_CANCEL, NGHTTP2_FLAG_END_STREAM, NGHTTP2_INTERNAL_ERROR, NGHTTP2_NO_ERROR } = constants;

export interface RelayOptions {
  /** headers added to the answer (e.g. x-ffk-served-by), replacing any of the same name */
  added?: string[];
  /** the upstream stream closed before its answer's head came (the caller answers) */
  noAnswer(): void;
  /** the answer's head was relayed */
  onResponse?(status: number): void;
  /** the answer's trailers (or its head, when that is the whole answer): where gRPC puts grpc-status */
  onTrailers?(trailers: IncomingHttpHeaders): void;
}

/**
 * Joins an HTTP/2 call that came in (`down`) to the stream that carries it on (`up`: to the
 * app, through the tunnel, or to the local process): bodies stream both ways with HTTP/2 flow
 * control, trailers (gRPC's grpc-status and grpc-message) are relayed both ways, and a reset
 * on either side resets the other, so a cancelled call is cancelled upstream too.
 * `up` must have been opened with waitForTrailers when `down` has a body.
 */
export function relayH2(down: ServerHttp2Stream, up: ClientHttp2Stream, options: RelayOptions): void {
  let requestTrailers: IncomingHttpHeaders | undefined;
  let answerTrailers: IncomingHttpHeaders | undefined;
  let answered = false;
  down.on('error', () => {});
  up.on('error', () => {});
  down.on('trailers', (trailers: IncomingHttpHeaders) => (requestTrailers = trailers));
  up.on('wantTrailers', () => up.sendTrailers(trailersOf(requestTrailers)));
  if (!down.endAfterHeaders) down.pipe(up);

  up.on('response', (headers, flags) => {
    if (down.destroyed) return void up.close(NGHTTP2_CANCEL);
    const status = Number(headers[':status']);
    const added = options.added ?? [];
    const names = new Set(added.filter((_, i) => i % 2 === 0));
    const answer = endToEndHeaders(withoutNames(headers, names), [':status', String(status), ...added]);
    options.onResponse?.(status);
    // A head with END_STREAM is the whole answer: gRPC's "trailers-only" errors look like that.
    if (flags & NGHTTP2_FLAG_END_STREAM) {
      answered = true;
      options.onTrailers?.(headers);
      up.resume();
      return void down.respond(answer, { endStream: true });
    }
    down.respond(answer, { waitForTrailers: true });
    up.pipe(down);
  });
  up.on('trailers', (trailers: IncomingHttpHeaders) => {
    answerTrailers = trailers;
    options.onTrailers?.(trailers);
  });
  down.on('wantTrailers', () => {
    answered = true;
    down.sendTrailers(trailersOf(answerTrailers));
  });

  up.on('close', () => {
    if (down.closed || down.destroyed) return; // the caller is gone: nothing to answer
    if (!down.headersSent) return options.noAnswer();
    // Reset, or cut off before its end: the caller must not take a partial answer for a whole one.
    if (!up.readableEnded) down.close(up.rstCode && up.rstCode !== NGHTTP2_NO_ERROR ? up.rstCode : NGHTTP2_INTERNAL_ERROR);
  });
  down.on('close', () => {
    if (!answered && !up.closed) up.close(NGHTTP2_CANCEL);
  });
}

/** A request head passed on over HTTP/2: the original's method, path and authority, end-to-end headers, and `te: trailers` (gRPC asks for it). */
export function h2RequestHead(headers: IncomingHttpHeaders, list: string[] = []): string[] {
  list.push(
    ':method',
    String(headers[':method']),
    ':path',
    String(headers[':path']),
    ':authority',
    String(headers[':authority'] ?? headers.host ?? 'localhost'),
  );
  endToEndHeaders(headers, list);
  if (headers.te === 'trailers') list.push('te', 'trailers');
  return list;
}

/**
 * An honest answer when a call cannot be delivered. A gRPC client reads only grpc-status and
 * grpc-message, so a gRPC call gets UNAVAILABLE (14) with the message; anything else a 502
 * with the message as its body. A call whose answer had started is reset instead.
 */
export function failH2(down: ServerHttp2Stream, requestHeaders: IncomingHttpHeaders, message: string, added: string[] = []): void {
  if (down.destroyed || down.closed) return;
  if (down.headersSent) return void down.close(NGHTTP2_INTERNAL_ERROR);
  if (String(requestHeaders['content-type']).startsWith('application/grpc')) {
    const head = [':status', '200', 'content-type', 'application/grpc', 'grpc-status', '14', 'grpc-message', grpcMessage(message), ...added];
    return void down.respond(head, { endStream: true });
  }
  down.respond([':status', '502', 'content-type', 'text/plain; charset=utf-8', ...added]);
  down.end(`${message}\n`);
}

/** grpc-message is percent-encoded: anything outside printable ASCII, and '%' itself. */
function grpcMessage(message: string): string {
  return message.replace(/[^ -$&-~]/gu, (c) => encodeURIComponent(c));
}

function trailersOf(headers: IncomingHttpHeaders | undefined): OutgoingHttpHeaders {
  const trailers: OutgoingHttpHeaders = {};
  if (!headers) return trailers;
  for (const name in headers) if (!name.startsWith(':')) trailers[name] = headers[name];
  return trailers;
}

function withoutNames(headers: IncomingHttpHeaders, names: Set<string>): IncomingHttpHeaders {
  if (names.size === 0) return headers;
  const kept: IncomingHttpHeaders = {};
  for (const name in headers) if (!names.has(name)) kept[name] = headers[name];
  return kept;
}
