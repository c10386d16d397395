// POST/GET /api/v1/namespaces/{ns}/pods/{name}/portforward as a WebSocket, the protocol the
// kubelet serves and @kubernetes/client-node's PortForward speaks (see the kubelet's
// cri/streaming/portforward/websocket.go and apiserver's wsstream): subprotocol
// v4.channel.k8s.io (binary frames, first byte = channel) or v4.base64.channel.k8s.io (text
// frames, channel as an ASCII digit, payload base64). Each requested port has a data channel
// (2i) and an error channel (2i+1); the server first sends the port, uint16 little-endian, on
// both. kubectl speaks SPDY instead (port-forward-spdy.ts): tunnelled in a WebSocket whose
// subprotocol is SPDY/3.1+portforward.k8s.io (binary messages carry the SPDY bytes), or after a
// plain `Upgrade: SPDY/3.1` (kubectl's fallback).
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { createWebSocketStream, type WebSocket, WebSocketServer } from 'ws';
import { ApiError, badRequest } from '../api/status';
import type { SubresourceHandler } from '../http/router';
import type { Pod } from '../runtime/kube-types';
import { ChannelConnection } from './channels';
import { forwardingError, type ForwardingTracker, newTracker } from './forwarding';
import { serveSpdyPortForward, SPDY_PORT_FORWARD_PROTOCOL } from './port-forward-spdy';
import { acceptSpdyUpgrade } from './spdy/upgrade';

const BINARY = 'v4.channel.k8s.io';
const BASE64 = 'v4.base64.channel.k8s.io';
/** kubectl's tunnel: SPDY inside a WebSocket (client-go's tunneling dialer). */
const SPDY_TUNNEL = `SPDY/3.1+${SPDY_PORT_FORWARD_PROTOCOL}`;
/** `ws` accepts only RFC 7230 tokens as subprotocols ('/' is not one): the tunnel passes it under this alias. */
const SPDY_TUNNEL_ALIAS = 'spdy-3.1-tunnel';
const SUPPORTED = [BINARY, BASE64, SPDY_TUNNEL];
/** Above this many bytes queued on the WebSocket, stop reading from the pod (a slow client). */
const HIGH_WATER = 1024 * 1024;

export function parsePorts(query: URLSearchParams): number[] {
  const raw = query.getAll('ports').flatMap((value) => value.split(','));
  if (raw.length === 0) throw badRequest('query parameter "ports" is required');
  return raw.map((text) => {
    const port = Number(text);
    if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw badRequest(`unable to parse "${text}" as a port`);
    return port;
  });
}

const upgradeOf = (req: IncomingMessage): string => (req.headers.upgrade ?? '').toLowerCase();

function forward(ws: WebSocket, pod: Pod, ports: number[], tracker: ForwardingTracker): void {
  const channels = new ChannelConnection(ws);
  const podIP = pod.status?.podIP ?? '';
  const sockets: Socket[] = [];
  let open = ports.length;
  const pairDone = () => {
    open -= 1;
    if (open === 0) ws.close(1000);
  };

  ports.forEach((port, index) => {
    const data = index * 2;
    const error = data + 1;
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16LE(port);
    channels.send(data, prefix);
    channels.send(error, prefix);

    // As the kubelet (Go sets TCP_NODELAY): without it small writes wait for a delayed ACK (~40 ms).
    const socket = connect({ host: podIP, port, noDelay: true });
    sockets[index] = socket;
    tracker.podSockets.add(socket);
    let connected = false;
    socket.on('connect', () => (connected = true));
    socket.on('data', (chunk: Buffer) => {
      channels.send(data, chunk, () => {
        if (socket.isPaused() && channels.buffered < HIGH_WATER / 2) socket.resume();
      });
      if (channels.buffered > HIGH_WATER) socket.pause(); // backpressure: the client reads slowly
    });
    socket.on('error', (cause: NodeJS.ErrnoException) => channels.send(error, Buffer.from(forwardingError(pod, port, cause, connected))));
    socket.once('close', () => {
      tracker.podSockets.delete(socket);
      pairDone();
    });
    socket.on('drain', () => ws.resume());
  });

  ws.on('message', (frame: Buffer, isBinary: boolean) => {
    const message = channels.decode(frame, isBinary);
    if (!message || message.channel % 2 !== 0) return; // only data channels carry client bytes
    const socket = sockets[message.channel / 2];
    if (!socket || socket.destroyed) return;
    if (!socket.write(message.data)) ws.pause(); // backpressure the other way: the pod reads slowly
  });
  ws.on('close', () => sockets.forEach((s) => s.destroy()));
  ws.on('error', () => sockets.forEach((s) => s.destroy()));
}

export function portForwardHandler(): SubresourceHandler & { tracker: ForwardingTracker } {
  const tracker = newTracker();
  const server = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    // The kubelet picks the first protocol it supports, in the client's order ("" when none is offered).
    handleProtocols: (offered) => {
      const chosen = [...offered].find((p) => SUPPORTED.includes(p) || p === SPDY_TUNNEL_ALIAS);
      return chosen === SPDY_TUNNEL_ALIAS ? SPDY_TUNNEL : (chosen ?? false);
    },
  });
  return {
    kind: 'PodPortForwardOptions',
    verbs: ['create', 'get'],
    tracker,
    handle() {
      throw badRequest('Upgrade request required: port-forward is a WebSocket (v4.channel.k8s.io, SPDY/3.1+portforward.k8s.io) or SPDY/3.1 upgrade');
    },
    upgrade({ req, socket, head, query, object }) {
      const upgrade = upgradeOf(req);
      if (upgrade !== 'websocket' && upgrade !== 'spdy/3.1')
        throw badRequest(`unsupported upgrade "${req.headers.upgrade ?? ''}": port-forward speaks WebSocket or SPDY/3.1`);
      const offered = (req.headers['sec-websocket-protocol'] ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
      if (upgrade === 'websocket' && offered.length > 0 && !offered.some((p) => SUPPORTED.includes(p))) {
        throw new ApiError(400, 'BadRequest', `requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${SUPPORTED.join(' ')}]`);
      }
      const tunnel = upgrade === 'websocket' && offered.find((p) => SUPPORTED.includes(p)) === SPDY_TUNNEL;
      // The channel protocol names its ports in the query; SPDY names them per stream.
      const ports = upgrade === 'websocket' && !tunnel ? parsePorts(query) : [];
      const pod = object as unknown as Pod;
      if (pod.status?.phase !== 'Running' || !pod.status.podIP) {
        throw badRequest(`unable to forward port because pod is not running. Current status=${pod.status?.phase ?? 'Pending'}`);
      }
      if (upgrade === 'spdy/3.1') {
        acceptSpdyUpgrade(req, socket, head, [SPDY_PORT_FORWARD_PROTOCOL]);
        return serveSpdyPortForward(socket, pod, tracker);
      }
      if (tunnel)
        req.headers['sec-websocket-protocol'] = offered
          .map((p) => (p === SPDY_TUNNEL ? SPDY_TUNNEL_ALIAS : p))
          .filter((p) => !p.includes('/'))
          .join(', ');
      server.handleUpgrade(req, socket, head, (ws) => {
        if (ws.protocol === SPDY_TUNNEL) {
          const tunnel = createWebSocketStream(ws);
          ws.once('close', () => tunnel.destroy()); // also while reading is held back, when 'end' would wait
          serveSpdyPortForward(tunnel, pod, tracker);
        } else forward(ws, pod, ports, tracker);
      });
    },
  };
}
