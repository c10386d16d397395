import type { IncomingHttpHeaders } from 'node:http';
import http2, { type Http2Session, type ServerHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { KeptSession } from '../h2/kept-session';
import { failH2, h2RequestHead, relayH2 } from '../h2/relay';
import { CONNECTION_WINDOW, H2_SETTINGS, KIND_HEADER, MAX_SESSION_MEMORY_MB, NGHTTP2_CANCEL, NGHTTP2_REFUSED_STREAM } from '../tunnel/protocol';
import { awaitHead, headArrived } from './connection-timeouts';
import type { Tunnel } from './tunnel';

export interface H2Routing {
  /** the tunnel a call goes to, or undefined for the app */
  route(headers: IncomingHttpHeaders): Tunnel | undefined;
  /** whether a mirror would want a copy of this call (HTTP/2 calls are not copied) */
  mirrored(headers: IncomingHttpHeaders): boolean;
  appHost: string;
  appPort: number;
  /** a connection must send its HTTP/2 settings within headMs; later, one with no activity for idleMs is closed */
  headMs: number;
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
  const app = { session: new KeptSession(routing.appHost, routing.appPort), host: routing.appHost, port: routing.appPort };
  const debug = logger.isLevelEnabled('debug');
  const server = http2.createServer({ settings: H2_SETTINGS, maxSessionMemory: MAX_SESSION_MEMORY_MB });
  const toldUncopied = new WeakSet<Http2Session>();
  /** the socket being handed to the server: its session is made at once, and session.socket is only a proxy of it */
  let accepting: Socket | undefined;

  /** A call a closing tunnel did not take goes where it goes now, never to the same tunnel twice; at last to the app. */
  const forward = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, tried: Tunnel[] = []): void => {
    const tunnel = routing.route(headers);
    if (debug)
      logger.debug({ port, method: headers[':method'], url: headers[':path'], to: tunnel ? 'tunnel' : 'app', owner: tunnel?.owner, h2: true }, 'route');
    if (tunnel && !tried.includes(tunnel)) h2ToTunnel(stream, headers, tunnel, () => forward(stream, headers, [...tried, tunnel]));
    else h2ToApp(stream, headers, app);
  };

  server.on('stream', (stream, headers) => {
    forward(stream, headers);
    const session = stream.session;
    if (session && !toldUncopied.has(session) && routing.mirrored(headers)) {
      toldUncopied.add(session);
      logger.info({ port }, 'mirror: HTTP/2 (gRPC) calls are not copied; they go where they would go without the mirror');
    }
  });
  server.on('session', (session) => {
    const socket = accepting;
    // A gRPC client may connect long before its first call: its SETTINGS, sent with the preface, prove it speaks HTTP/2.
    if (socket) session.once('remoteSettings', () => headArrived(socket));
    session.setTimeout(routing.idleMs, () => session.destroy());
    session.once('localSettings', () => session.setLocalWindowSize(CONNECTION_WINDOW));
  });

  return {
    accept(socket, first) {
      awaitHead(socket, routing.headMs);
      // The session reads what the socket already holds before it reads the socket itself.
      socket.pause();
      socket.unshift(first);
      accepting = socket;
      server.emit('connection', socket);
      accepting = undefined;
    },
    close: () => app.session.close(),
  };
}

function h2ToApp(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, app: { session: KeptSession; host: string; port: number }) {
  const unreachable = (detail: string) => failH2(stream, headers, `ffk-agent: the app does not answer on ${app.host}:${app.port} (${detail})`);
  app.session.request(h2RequestHead(headers), stream.endAfterHeaders).then(
    (up) => (stream.destroyed ? up.close(NGHTTP2_CANCEL) : relayH2(stream, up, { noAnswer: () => unreachable('the call was closed without an answer') })),
    (error: NodeJS.ErrnoException) => unreachable(error.code ?? error.message),
  );
}

/** Through the tunnel as an 'h2' stream. A call whose tunnel closed before taking any of it goes on with `again`. */
function h2ToTunnel(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, tunnel: Tunnel, again: () => void) {
  const bodiless = stream.endAfterHeaders;
  let up;
  try {
    up = tunnel.request(h2RequestHead(headers, [KIND_HEADER, 'h2']), bodiless, !bodiless);
  } catch {
    return again();
  }
  const refused = "ffk-agent: the developer's connector refused the call (an ffk older than its gRPC support refuses every HTTP/2 call: update ffk)";
  relayH2(stream, up, {
    noAnswer: () => {
      if (bodiless) return again();
      failH2(
        stream,
        headers,
        up.rstCode === NGHTTP2_REFUSED_STREAM ? refused : "ffk-agent: the intercept tunnel closed before the developer's process answered",
      );
    },
  });
}
