import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { endToEndHeaders, hasBody } from '../tunnel/headers';
import { KIND_HEADER, NGHTTP2_CANCEL } from '../tunnel/protocol';
import type { Tunnel } from './tunnel';

/** Per-hop headers of HTTP/1.1 that a proxy must not pass on (RFC 9110 7.6.1). */
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection']);

export interface AppTarget {
  host: string;
  port: number;
  /** keep-alive pool towards the app */
  agent: http.Agent;
}

/** Sends one request to the app container and streams its answer back. */
export function forwardToApp(req: IncomingMessage, res: ServerResponse, app: AppTarget, logger: Logger): void {
  const upstream = http.request({
    host: app.host,
    port: app.port,
    agent: app.agent,
    method: req.method,
    path: req.url,
    headers: withoutHop(req.rawHeaders),
    setHost: false,
  });
  upstream.on('response', (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, withoutHop(answer.rawHeaders));
    sendHeadSoon(res, answer);
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  upstream.on('error', (error) => {
    logger.debug({ err: error.message, url: req.url }, 'app request failed');
    failRequest(res, `ffk-agent: the app does not answer on ${app.host}:${app.port} (${(error as NodeJS.ErrnoException).code ?? error.message})\n`);
  });
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  // Send the head now: a streaming client may wait for the answer before it sends a body byte.
  upstream.flushHeaders();
  req.pipe(upstream);
}

/**
 * Sends one request through a tunnel as an HTTP/2 stream. When the tunnel goes away before the
 * connector answered and the request had no body, `replay` sends it where it goes now (a
 * teammate's global intercept, or the app): that is what keeps requests from failing while the
 * agent fails open.
 */
export function forwardToTunnel(req: IncomingMessage, res: ServerResponse, tunnel: Tunnel, replay: () => void): void {
  const bodiless = !hasBody(req.headers);
  let stream;
  try {
    // A request from an http.Server always has both; the defaults only satisfy the type.
    const head = [':method', req.method ?? 'GET', ':path', req.url ?? '/', ':authority', req.headers.host ?? 'localhost', KIND_HEADER, 'http'];
    stream = tunnel.request(endToEndHeaders(req.headers, head), bodiless);
  } catch {
    return bodiless ? replay() : failRequest(res, 'ffk-agent: the intercept tunnel closed\n');
  }
  let answered = false;
  stream.on('response', (headers) => {
    answered = true;
    relayAnswer(req, res, headers, stream);
  });
  stream.on('close', () => {
    if (answered) {
      if (!stream.readableEnded) res.destroy();
      return;
    }
    if (bodiless && !res.headersSent && !res.destroyed) replay();
    else failRequest(res, "ffk-agent: the intercept tunnel closed before the developer's process answered\n");
  });
  stream.on('error', () => {});
  res.on('close', () => {
    if (!res.writableFinished && !stream.closed) stream.close(NGHTTP2_CANCEL);
  });
  if (!bodiless) req.pipe(stream);
}

/**
 * Node sends a response head with the first body bytes. Usually they come together; when the
 * body is not there yet (a stream, SSE, long poll), send the head on its own so the client
 * sees the answer start.
 */
function sendHeadSoon(res: ServerResponse, body: Readable) {
  // A response with a length is a complete answer on its way: its bytes follow the head.
  if (res.hasHeader('content-length')) return;
  let started = false;
  body.once('data', () => (started = true));
  setImmediate(() => {
    if (!started && !res.destroyed) res.flushHeaders();
  });
}

/** Answers short enough to be sent whole, head and body, in one write. */
const WHOLE_ANSWER_MAX = 64 * 1024;

/**
 * Relays a tunneled answer to the HTTP/1.1 client. A small answer goes out as one write with
 * a content-length: one syscall instead of head, body and chunked trailer. One that says its
 * length is a complete answer on its way, so it is held until its end without a timer; one
 * without a length is held only until the end of this turn of the event loop (most small
 * answers arrive with their head). Anything slower or bigger streams: the head goes out (an
 * SSE stream or a long poll must show up) and the body as it comes, with backpressure.
 */
function relayAnswer(req: IncomingMessage, res: ServerResponse, answer: IncomingHttpHeaders, body: Readable) {
  const status = Number(answer[':status']);
  const headers = endToEndHeaders(answer);
  const length = answer['content-length'];
  let held: Buffer[] | undefined = [];
  let heldBytes = 0;
  const stream = () => {
    if (!held) return;
    res.writeHead(status, headers);
    if (held.length === 0) res.flushHeaders();
    for (const chunk of held) res.write(chunk);
    held = undefined;
  };
  body.on('data', (chunk: Buffer) => {
    if (held) {
      held.push(chunk);
      heldBytes += chunk.length;
      if (heldBytes > WHOLE_ANSWER_MAX) stream();
    } else if (!res.write(chunk)) {
      body.pause();
      res.once('drain', () => body.resume());
    }
  });
  body.on('end', () => {
    if (!held) return void res.end();
    const whole = held.length === 1 ? held[0] : Buffer.concat(held, heldBytes);
    held = undefined;
    // HEAD answers and 204/304 carry no body, whatever their headers say.
    if (length === undefined && req.method !== 'HEAD' && status !== 204 && status !== 304) headers.push('content-length', String(heldBytes));
    res.writeHead(status, headers);
    res.end(whole);
  });
  if (length === undefined || Number(length) > WHOLE_ANSWER_MAX) setImmediate(stream);
}

function failRequest(res: ServerResponse, message: string) {
  if (res.headersSent || res.destroyed) return void res.destroy();
  res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(message) });
  res.end(message);
}

function withoutHop(raw: string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (!HOP.has(raw[i].toLowerCase())) kept.push(raw[i], raw[i + 1]);
  }
  return kept;
}
