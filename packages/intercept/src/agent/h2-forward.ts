import type { IncomingHttpHeaders } from 'node:http';
import http2, { type ServerHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { h2cAuthority, KeptSession } from '../h2/kept-session';
import { failH2, h2RequestHead, relayH2 } from '../h2/relay';
import { H2_SETTINGS, KIND_HEADER, MAX_SESSION_MEMORY_MB } from '../tunnel/protocol';
import { headArrived } from './connection-timeouts';
import type { Tunnel } from './tunnel';

export interface H2Routing {
  /** the tunnel a call goes to, or undefined for the app */
  route(headers: IncomingHttpHeaders): Tunnel | undefined;
  /** whether a mirror would want a copy of this call (HTTP/2 calls are not copied) */
  mirrored(headers: IncomingHttpHeaders): boolean;
  appHost: string;
  appPort: number;
  /** a connection with no stream activity this long is closed */
  idleMs: number;
  port: string;
  logger: Logger;
}

/**
 * Cleartext HTTP/2 (h2c with prior knowledge, which is how gRPC clients speak without TLS) on a
 * service port: the agent ends HTTP/2 itself, so every call (stream) is routed on its own by the
 * same rules as an HTTP/1 request. The app is reached over one kept h2c session.
 */
export function h2Forwarding(routing: H2Routing): { accept(socket: Socket, first: Buffer): void; close(): void } {
  const { logger, port } = routing;
  const app = new KeptSession(h2cAuthority(routing.appHost, routing.appPort));
  const debug = logger.isLevelEnabled('debug');
  const server = http2.createServer({ settings: H2_SETTINGS, maxSessionMemory: MAX_SESSION_MEMORY_MB });
  const unmirrored = new WeakSet<http2.ServerHttp2Session>();

  const toApp = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    const unreachable = (detail: string) => failH2(stream, headers, `ffk-agent: the app does not answer on ${routing.appHost}:${routing.appPort} (${detail})`);
    app.get().then(
      (session) => {
        if (stream.destroyed) return;
        const bodiless = stream.endAfterHeaders;
        let up;
        try {
          up = session.request(h2RequestHead(headers), { endStream: bodiless, waitForTrailers: !bodiless });
        } catch (error) {
          return unreachable((error as Error).message);
        }
        relayH2(stream, up, { noAnswer: () => unreachable('the call was reset') });
      },
      (error: NodeJS.ErrnoException) => unreachable(error.code ?? error.message),
    );
  };

  /** A call caught by a closing tunnel goes where it goes now when none of its body was sent into it. */
  const forward = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, tried: Tunnel[] = []): void => {
    const tunnel = routing.route(headers);
    if (debug)
      logger.debug({ port, method: headers[':method'], url: headers[':path'], to: tunnel ? 'tunnel' : 'app', owner: tunnel?.owner, h2: true }, 'route');
    if (!tunnel || tried.includes(tunnel)) return toApp(stream, headers);
    const bodiless = stream.endAfterHeaders;
    const again = (): void => forward(stream, headers, [...tried, tunnel]);
    let up;
    try {
      up = tunnel.request(h2RequestHead(headers, [KIND_HEADER, 'h2']), bodiless, !bodiless);
    } catch {
      return again();
    }
    relayH2(stream, up, {
      noAnswer: () => (bodiless ? again() : failH2(stream, headers, "ffk-agent: the intercept tunnel closed before the developer's process answered")),
    });
  };

  server.on('stream', (stream, headers) => {
    forward(stream, headers);
    if (routing.mirrored(headers) && !unmirrored.has(stream.session as http2.ServerHttp2Session)) {
      unmirrored.add(stream.session as http2.ServerHttp2Session);
      logger.info({ port }, 'mirror: HTTP/2 (gRPC) calls are not copied; they still go where they would go');
    }
  });
  server.on('session', (session) => session.setTimeout(routing.idleMs, () => session.destroy()));

  return {
    accept(socket, first) {
      headArrived(socket);
      // The session reads what the socket already holds before it reads the socket itself.
      socket.pause();
      socket.unshift(first);
      server.emit('connection', socket);
    },
    close: () => app.close(),
  };
}
