import type { IncomingHttpHeaders } from 'node:http';
import type { ServerHttp2Stream } from 'node:http2';
import { failH2, h2RequestHead, relayH2 } from '../h2/relay';
import { NGHTTP2_CANCEL } from '../tunnel/protocol';
import type { RoutedRequest } from './deliver-http';
import { isNotListening, type LocalTarget, nextWait, notListeningMessage } from './local-target';

const GRPC_UNAVAILABLE = 14;
const SESSION_GONE = new Set(['ERR_HTTP2_GOAWAY_SESSION', 'ERR_HTTP2_INVALID_SESSION']);

/**
 * Delivers one tunneled HTTP/2 call (gRPC) to the local process over its kept h2c session,
 * trailers and resets relayed both ways. While the local port is closed the call waits (its
 * body stays in the tunnel, unread) until holdMs; then a gRPC caller gets UNAVAILABLE with
 * a message saying what is wrong.
 */
export function deliverH2(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, target: LocalTarget, onDone: (routed: RoutedRequest) => void): void {
  const started = performance.now();
  const deadline = Date.now() + target.holdMs;
  const servedBy = ['x-ffk-served-by', target.servedBy];
  const method = String(headers[':method']);
  const path = String(headers[':path']);
  const grpc = String(headers['content-type']).startsWith('application/grpc');
  let status = 0;
  let grpcStatus: number | undefined;
  let error: string | undefined;
  const fail = (message: string) => {
    status = status || (grpc ? 200 : 502);
    if (grpc) grpcStatus = GRPC_UNAVAILABLE;
    error = message.trim();
    failH2(stream, headers, message.trim(), servedBy);
  };
  stream.on('error', () => {});
  stream.once('close', () =>
    onDone({ method, path, status, ms: performance.now() - started, ...(error && { error }), ...(grpcStatus !== undefined && { grpcStatus }) }),
  );

  const attempt = (attempts: number) => {
    target.h2.request(h2RequestHead(headers), stream.endAfterHeaders).then(
      (up) => {
        if (stream.destroyed) return void up.close(NGHTTP2_CANCEL);
        relayH2(stream, up, {
          added: servedBy,
          onResponse: (answered) => (status = answered),
          onTrailers: (trailers) => {
            if (grpc && trailers['grpc-status'] !== undefined) grpcStatus = Number(trailers['grpc-status']);
          },
          noAnswer: () =>
            fail(
              `ffk: the local process on ${target.host}:${target.port} closed the call without answering (HTTP/2 code ${up.rstCode}): is it an HTTP/2 (gRPC) server without TLS?`,
            ),
        });
      },
      (failure: NodeJS.ErrnoException) => {
        // Nothing listens yet (a restart), or the session went away as the call was made: nothing was sent, try again.
        const again = isNotListening(failure) || SESSION_GONE.has(failure.code ?? '');
        const wait = again ? nextWait(attempts, deadline) : undefined;
        if (wait !== undefined) return void setTimeout(attempt, wait, attempts + 1);
        fail(isNotListening(failure) ? notListeningMessage(target) : `ffk: the local process failed the call: ${failure.code ?? failure.message}`);
      },
    );
  };
  attempt(0);
}
