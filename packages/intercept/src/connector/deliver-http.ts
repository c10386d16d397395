import http, { type IncomingHttpHeaders } from 'node:http';
import { constants, type ServerHttp2Stream } from 'node:http2';
import type { Dispatcher } from 'undici';
import { endToEndHeaders } from '../tunnel/headers';
import { isNotListening, type LocalTarget, nextWait, notListeningMessage } from './local-target';

export interface RoutedRequest {
  method: string;
  path: string;
  status: number;
  ms: number;
  /** set when the connector answered itself because the local process could not */
  error?: string;
  /** a mirrored copy: the local answer was discarded, the cluster answered the original */
  mirror?: true;
  /** a gRPC call: the grpc-status of its answer (0 OK, 5 NOT_FOUND, 14 UNAVAILABLE, …) */
  grpcStatus?: number;
}

/** Methods a connector may safely resend when a kept-alive local socket was closed under it. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);
/** Errors of a kept-alive socket that the local server closed or reset as it was reused (undici, Node). */
const STALE_SOCKET = new Set(['UND_ERR_SOCKET', 'ECONNRESET']);

/**
 * Delivers one tunneled request to the local process and streams the answer back. While the
 * local port is closed the request waits (the body stays in the tunnel, unread) and is retried
 * until holdMs; after that the caller gets a 502 that says what is wrong.
 *
 * Requests without a body (the bulk of the traffic) go through undici's pool, which costs
 * about half the CPU of `http.request` per request. Requests with a body use `http.request`:
 * it sends the head at once, while undici holds it back until the first body byte, which
 * would deadlock a client that waits for the answer before it streams its body.
 *
 * A mirrored copy (`mirror`) is delivered the same way, but its answer goes nowhere: only the
 * status is sent back, once the local process has answered in full, which is what frees the
 * copy's place in the agent's queue.
 */
export function deliverHttp(
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  target: LocalTarget,
  onDone: (routed: RoutedRequest) => void,
  mirror = false,
): void {
  const delivery = new LocalDelivery(stream, headers, target, onDone, mirror);
  if (stream.endAfterHeaders) delivery.dispatch();
  else delivery.request();
}

class LocalDelivery implements Dispatcher.DispatchHandler {
  private readonly started = performance.now();
  private readonly deadline: number;
  private readonly method: string;
  private readonly path: string;
  private readonly headers: string[];
  private attempts = 0;
  /** the tunnel stream closed: the caller is gone */
  private cancelled = false;
  private done = false;
  /** status of the local answer, once its head came */
  private status = 0;
  /** stops the current attempt */
  private abort: (() => void) | undefined;

  constructor(
    private readonly stream: ServerHttp2Stream,
    headers: IncomingHttpHeaders,
    private readonly target: LocalTarget,
    private readonly onDone: (routed: RoutedRequest) => void,
    private readonly mirror: boolean,
  ) {
    this.deadline = Date.now() + target.holdMs;
    this.method = String(headers[':method']);
    this.path = String(headers[':path']);
    this.headers = endToEndHeaders(headers, ['host', String(headers[':authority'])]);
    stream.on('error', () => {});
    stream.once('close', () => {
      this.cancelled = true;
      if (!this.done) this.abort?.();
    });
  }

  /** A request without a body, through undici (this object is its dispatch handler). */
  dispatch(): void {
    this.abort = undefined;
    this.status = 0;
    this.target.pool.dispatch({ method: this.method, path: this.path, headers: this.headers }, this);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.abort = () => controller.abort(new Error('the caller went away'));
    if (this.cancelled) this.abort();
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (!this.respond(statusCode, headers)) controller.abort(new Error('the caller went away'));
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.mirror || this.stream.write(chunk)) return;
    // The tunnel is full: stop reading from the local socket until it drains.
    controller.pause();
    this.stream.once('drain', () => controller.resume());
  }

  onResponseEnd(): void {
    this.endAnswer();
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, error: NodeJS.ErrnoException): void {
    this.failed(error, false, () => this.dispatch());
  }

  /** A request with a body, through `http.request`, which streams it both ways. */
  request(): void {
    this.status = 0;
    let bodySent = false;
    const req = http.request({
      host: this.target.host,
      port: this.target.port,
      method: this.method,
      path: this.path,
      headers: this.headers,
      agent: this.target.agent,
      setHost: false,
    });
    this.abort = () => req.destroy();
    req.on('socket', (socket) => {
      // The body is only read from the tunnel once a local socket is really there.
      const send = () => {
        bodySent = true;
        req.flushHeaders();
        this.stream.pipe(req);
      };
      if (socket.connecting) socket.once('connect', send);
      else send();
    });
    req.on('response', (res) => {
      if (!this.respond(res.statusCode ?? 502, res.headers)) return void res.destroy();
      if (this.mirror) res.resume();
      else res.pipe(this.stream);
      res.on('close', () => {
        if (!res.complete && !this.stream.closed) this.stream.close(constants.NGHTTP2_INTERNAL_ERROR);
      });
      res.on('end', () => (this.mirror ? this.endAnswer() : this.finish(this.status)));
    });
    req.on('error', (error: NodeJS.ErrnoException) => this.failed(error, bodySent, () => this.request()));
  }

  /** Sends the local answer's head into the tunnel; false when the caller is gone. */
  private respond(status: number, headers: IncomingHttpHeaders): boolean {
    this.status = status;
    if (this.cancelled || this.stream.destroyed) return false;
    if (this.mirror) return true; // its status goes back at its end
    headers['x-ffk-served-by'] = undefined; // replaced by ours
    this.stream.respond(endToEndHeaders(headers, [':status', String(status), 'x-ffk-served-by', this.target.servedBy]));
    return true;
  }

  /** An attempt failed: retries while that is safe and the hold time lasts, else answers 502. */
  private failed(error: NodeJS.ErrnoException, bodySent: boolean, retry: () => void) {
    if (this.cancelled || this.status !== 0) {
      this.done = true;
      return void this.stream.close(constants.NGHTTP2_INTERNAL_ERROR);
    }
    // A kept-alive socket the local server closed as we reused it, or a server killed mid-request
    // by a restart: a request without a body and with an idempotent method is safe to resend.
    const staleSocket = STALE_SOCKET.has(error.code ?? '') && IDEMPOTENT.has(this.method) && !bodySent;
    const wait = staleSocket && Date.now() < this.deadline ? 0 : isNotListening(error) ? nextWait(this.attempts, this.deadline) : undefined;
    if (wait !== undefined) {
      this.attempts++;
      return void setTimeout(retry, wait);
    }
    const message = isNotListening(error) ? notListeningMessage(this.target) : `ffk: the local process failed the request: ${error.code ?? error.message}\n`;
    this.stream.respond({ ':status': 502, 'content-type': 'text/plain; charset=utf-8', 'x-ffk-served-by': this.target.servedBy });
    this.stream.end(message);
    this.finish(502, message.trim());
  }

  /** The local answer is complete: a mirrored copy's status goes back now, a routed answer's body has been sent. */
  private endAnswer() {
    if (!this.mirror) this.stream.end();
    else if (!this.stream.destroyed) this.stream.respond({ ':status': this.status }, { endStream: true });
    this.finish(this.status);
  }

  private finish(status: number, error?: string) {
    this.done = true;
    this.onDone({
      method: this.method,
      path: this.path,
      status,
      ms: performance.now() - this.started,
      ...(error && { error }),
      ...(this.mirror && { mirror: true as const }),
    });
  }
}
