import http, { type IncomingHttpHeaders } from 'node:http';
import { constants, type ServerHttp2Stream } from 'node:http2';
import { endToEndHeaders } from '../tunnel/headers';
import { isNotListening, nextWait, notListeningMessage, type LocalTarget } from './local-target';

export interface RoutedRequest {
  method: string;
  path: string;
  status: number;
  ms: number;
  /** set when the connector answered itself because the local process could not */
  error?: string;
}

/** Methods a connector may safely resend when a kept-alive local socket was closed under it. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/**
 * Delivers one tunneled request to the local process and streams the answer back. While the
 * local port is closed the request waits (the body stays in the tunnel, unread) and is retried
 * until holdMs; after that the caller gets a 502 that says what is wrong.
 */
export function deliverHttp(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, target: LocalTarget, onDone: (routed: RoutedRequest) => void): void {
  const started = performance.now();
  const deadline = Date.now() + target.holdMs;
  const method = String(headers[':method']);
  const path = String(headers[':path']);
  const bodiless = stream.endAfterHeaders;
  const outgoing = endToEndHeaders(headers, { host: String(headers[':authority']) });
  const finish = (status: number, error?: string) => onDone({ method, path, status, ms: performance.now() - started, ...(error && { error }) });
  let current: http.ClientRequest | undefined;
  let cancelled = false;
  stream.on('error', () => {});
  stream.on('close', () => {
    cancelled = true;
    current?.destroy();
  });

  const attempt = (n: number) => {
    let bodySent = false;
    let answered = false;
    const req = http.request({ host: target.host, port: target.port, method, path, headers: outgoing, agent: target.agent, setHost: false });
    current = req;
    req.on('socket', (socket) => {
      // The body is only read from the tunnel once a local socket is really there.
      const send = () => {
        bodySent = !bodiless;
        if (bodiless) return void req.end();
        req.flushHeaders();
        stream.pipe(req);
      };
      if (socket.connecting) socket.once('connect', send);
      else send();
    });
    req.on('response', (res) => {
      answered = true;
      if (cancelled) return void res.destroy();
      stream.respond({ ':status': res.statusCode ?? 502, ...endToEndHeaders(res.headers), 'x-ffk-served-by': target.servedBy });
      res.pipe(stream);
      res.on('close', () => {
        if (!res.complete && !stream.closed) stream.close(constants.NGHTTP2_INTERNAL_ERROR);
      });
      res.on('end', () => finish(res.statusCode ?? 502));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (cancelled || answered) return void stream.close(constants.NGHTTP2_INTERNAL_ERROR);
      // A kept-alive socket the local server closed as we reused it, or a server killed mid-request
      // by a restart: a request without a body and with an idempotent method is safe to resend.
      const staleSocket = (req.reusedSocket || error.code === 'ECONNRESET') && IDEMPOTENT.has(method) && !bodySent;
      const wait = staleSocket && Date.now() < deadline ? 0 : isNotListening(error) ? nextWait(n, deadline) : undefined;
      if (wait !== undefined) return void setTimeout(() => attempt(n + 1), wait);
      const message = isNotListening(error) ? notListeningMessage(target) : `ffk: the local process failed the request: ${error.code ?? error.message}\n`;
      stream.respond({ ':status': 502, 'content-type': 'text/plain; charset=utf-8', 'x-ffk-served-by': target.servedBy });
      stream.end(message);
      finish(502, message.trim());
    });
  };
  attempt(0);
}
