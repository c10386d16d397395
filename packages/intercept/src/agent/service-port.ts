import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { closable, listen } from '../util/servers';
import type { AgentPort } from './config';
import { awaitHead, closeWhenIdle, CONNECTION_TIMEOUTS, type ConnectionTimeouts, headArrived, KEEP_ALIVE_MS } from './connection-timeouts';
import { h2Forwarding } from './h2-forward';
import { type AppTarget, forwardToApp, forwardToTunnel } from './http-forward';
import type { Interception, InterceptRegistry } from './intercepts';
import { MirrorCopies, type MirrorLimits } from './mirror';
import { rawToApp, rawToTunnel, requestHead } from './raw-forward';
import type { Tunnel } from './tunnel';

export interface ServicePortOptions {
  port: AgentPort;
  /** default CONNECTION_TIMEOUTS */
  timeouts?: ConnectionTimeouts;
  bindHost: string;
  appHost: string;
  probePaths: string[];
  registry: InterceptRegistry<Tunnel>;
  logger: Logger;
  /** default MIRROR_LIMITS */
  mirrorLimits?: MirrorLimits;
}

/**
 * One port of the workload, as the Service reaches it. HTTP/1.x is parsed so that every
 * request on a keep-alive connection is routed on its own (an intercept that starts while a
 * browser holds a connection open applies to its next request); cleartext HTTP/2 (gRPC) is
 * ended here so that every call is routed on its own too. Anything else (TLS, a database
 * protocol) and every connection of a 'tcp' port is spliced through unchanged.
 */
export async function listenServicePort(options: ServicePortOptions): Promise<{ port: number; close(): Promise<void> }> {
  const { port, appHost, registry, logger } = options;
  const app: AppTarget = { host: appHost, port: port.app, agent: new http.Agent({ keepAlive: true, maxFreeSockets: 256 }) };
  const probePaths = new Set(options.probePaths);
  const timeouts = options.timeouts ?? CONNECTION_TIMEOUTS;
  const debug = logger.isLevelEnabled('debug');

  const isProbe = (headers: IncomingHttpHeaders, url: string | undefined) =>
    headers['user-agent']?.startsWith('kube-probe/') === true || probePaths.has(pathOf(url));
  /** The tunnel an HTTP request goes to, or undefined for the app; probes always go to the app. */
  const routeHeaders = (headers: IncomingHttpHeaders, url: string | undefined): Tunnel | undefined => {
    if (!registry.hasAny(port.name) || isProbe(headers, url)) return undefined;
    return registry.matchRequest(port.name, headers)?.holder;
  };
  const route = (req: IncomingMessage) => routeHeaders(req.headers, req.url);
  /** Each mirror's copies, made on its first copy; gone with its intercept. */
  const copies = new WeakMap<Interception<Tunnel>, MirrorCopies>();
  /** Copies for the mirrors that select this request, once the original is on its way; never of probes. */
  const mirror = (req: IncomingMessage) => {
    const mirrors = registry.mirrorsOf(port.name, req.headers);
    if (mirrors.length === 0 || isProbe(req.headers, req.url)) return;
    for (const interception of mirrors) {
      let queue = copies.get(interception);
      if (!queue) copies.set(interception, (queue = new MirrorCopies(interception, logger, options.mirrorLimits)));
      queue.copy(req);
    }
  };
  const logRoute = (req: IncomingMessage, tunnel: Tunnel | undefined) => {
    if (debug) logger.debug({ port: port.name, method: req.method, url: req.url, to: tunnel ? 'tunnel' : 'app', owner: tunnel?.owner }, 'route');
  };

  /** A request whose tunnel ended before answering goes where it goes now, never to the same tunnel twice; at last to the app. */
  const forward = (req: IncomingMessage, res: ServerResponse, tried: Tunnel[] = []) => {
    const tunnel = route(req);
    logRoute(req, tunnel);
    if (tunnel && !tried.includes(tunnel)) forwardToTunnel(req, res, tunnel, () => forward(req, res, [...tried, tunnel]));
    else forwardToApp(req, res, app, logger);
  };

  const httpServer = http.createServer({ noDelay: true, requestTimeout: 0, keepAliveTimeout: KEEP_ALIVE_MS }, (req, res) => {
    headArrived(req.socket);
    // The next request on this connection gets its own deadline once this answer is out.
    res.once('finish', () => awaitHead(req.socket, KEEP_ALIVE_MS + timeouts.headMs));
    forward(req, res);
    mirror(req);
  });
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    closeWhenIdle(socket as net.Socket, timeouts.idleMs);
    const tunnel = req.method === 'CONNECT' ? undefined : route(req);
    logRoute(req, tunnel);
    const prefix = Buffer.concat([requestHead(req), head]);
    if (tunnel) rawToTunnel(socket, tunnel, port.name, prefix);
    else rawToApp(socket, appHost, port.app, prefix);
  };
  httpServer.on('upgrade', upgrade);
  httpServer.on('connect', upgrade);
  httpServer.on('clientError', (error, socket) => {
    logger.debug({ port: port.name, err: error.message }, 'malformed HTTP request refused');
    if (socket.writable && !(error as NodeJS.ErrnoException).code?.startsWith('ECONN')) {
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    } else socket.destroy();
  });

  const h2 = h2Forwarding({
    route: (headers) => routeHeaders(headers, String(headers[':path'])),
    mirrored: (headers) => registry.mirrorsOf(port.name, headers).length > 0,
    appHost,
    appPort: port.app,
    headMs: timeouts.headMs,
    idleMs: timeouts.idleMs,
    port: port.name,
    logger,
  });

  const rawConnection = (socket: net.Socket) => {
    closeWhenIdle(socket, timeouts.idleMs);
    const tunnel = port.protocol === 'tcp' ? registry.matchConnection(port.name)?.holder : undefined;
    if (tunnel?.isOpen) rawToTunnel(socket, tunnel, port.name);
    else rawToApp(socket, appHost, port.app);
  };

  const server = net.createServer({ noDelay: true }, (socket) => {
    socket.on('error', () => socket.destroy());
    if (port.protocol === 'tcp') return rawConnection(socket);
    awaitHead(socket, timeouts.headMs);
    socket.once('data', (first: Buffer) => {
      if (looksLikeHttp1(first)) {
        // Hand the socket to the HTTP server, then replay the first bytes to its parser.
        httpServer.emit('connection', socket);
        socket.emit('data', first);
      } else if (first.subarray(0, H2_PREFACE.length).equals(H2_PREFACE)) {
        h2.accept(socket, first);
      } else {
        socket.pause();
        socket.unshift(first);
        rawConnection(socket);
      }
    });
  });
  const closeServer = closable(server);
  const close = async () => {
    await closeServer();
    app.agent.destroy();
    h2.close();
  };
  return { port: await listen(server, port.listen, options.bindHost), close };
}

/** An HTTP/1.x request starts with a method token; the HTTP/2 preface starts with "PRI *". */
function looksLikeHttp1(first: Buffer): boolean {
  const byte = first[0];
  return byte >= 0x41 && byte <= 0x5a && !first.subarray(0, 5).equals(H2_PREFACE_START);
}
const H2_PREFACE_START = Buffer.from('PRI *');
/** How an HTTP/2 client with prior knowledge (h2c, gRPC without TLS) opens a connection. */
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

function pathOf(url = '/'): string {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}
