// POST/GET /api/v1/namespaces/{ns}/pods/{name}/portforward as a WebSocket, the protocol the
// kubelet serves and @kubernetes/client-node's PortForward speaks (see the kubelet's
// cri/streaming/portforward/websocket.go and apiserver's wsstream): subprotocol
// v4.channel.k8s.io (binary frames, first byte = channel) or v4.base64.channel.k8s.io (text
// frames, channel as an ASCII digit, payload base64). Each requested port has a data channel
// (2i) and an error channel (2i+1); the server first sends the port, uint16 little-endian, on
// both. kubectl port-forward needs SPDY, which is not served: it gets a clear error instead.
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError, badRequest } from '../api/status';
import type { SubresourceHandler } from '../http/router';
import type { Pod } from '../runtime/kube-types';

const BINARY = 'v4.channel.k8s.io';
const BASE64 = 'v4.base64.channel.k8s.io';
/** Above this many bytes queued on the WebSocket, stop reading from the pod (a slow client). */
const HIGH_WATER = 1024 * 1024;

export const SPDY_UNSUPPORTED =
  'kube-sim serves port-forward over WebSocket only (v4.channel.k8s.io, as @kubernetes/client-node PortForward uses it); `kubectl port-forward` needs SPDY, which kube-sim does not speak. Use the ffk CLI or client-node instead.';

export function parsePorts(query: URLSearchParams): number[] {
  const raw = query.getAll('ports').flatMap((value) => value.split(','));
  if (raw.length === 0) throw badRequest('query parameter "ports" is required');
  return raw.map((text) => {
    const port = Number(text);
    if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw badRequest(`unable to parse "${text}" as a port`);
    return port;
  });
}

function isWebSocket(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

class ChannelConnection {
  private readonly base64: boolean;

  constructor(private readonly ws: WebSocket) {
    this.base64 = ws.protocol === BASE64;
  }

  send(channel: number, data: Buffer, done?: () => void): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.base64) this.ws.send(String.fromCharCode(48 + channel) + data.toString('base64'), done);
    else this.ws.send(Buffer.concat([Buffer.of(channel), data]), done);
  }

  /** Decodes a client frame into (channel, bytes). */
  decode(frame: Buffer, isBinary: boolean): { channel: number; data: Buffer } | undefined {
    if (frame.length === 0) return undefined;
    if (this.base64 || !isBinary) return { channel: frame[0] - 48, data: Buffer.from(frame.subarray(1).toString(), 'base64') };
    return { channel: frame[0], data: frame.subarray(1) };
  }

  get buffered(): number {
    return this.ws.bufferedAmount;
  }
}

function forward(ws: WebSocket, pod: Pod, ports: number[]): void {
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
    let connected = false;
    socket.on('connect', () => (connected = true));
    socket.on('data', (chunk: Buffer) => {
      channels.send(data, chunk, () => {
        if (socket.isPaused() && channels.buffered < HIGH_WATER / 2) socket.resume();
      });
      if (channels.buffered > HIGH_WATER) socket.pause(); // backpressure: the client reads slowly
    });
    socket.on('error', (cause: NodeJS.ErrnoException) => {
      const why = connected ? cause.message : `dial tcp ${podIP}:${port}: connect: ${cause.code === 'ECONNREFUSED' ? 'connection refused' : cause.message}`;
      channels.send(error, Buffer.from(`error forwarding port ${port} to pod ${pod.metadata.name}, uid ${pod.metadata.uid}: ${why}`));
    });
    socket.once('close', pairDone);
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

export function portForwardHandler(): SubresourceHandler {
  const server = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    // The kubelet picks the first protocol it supports, in the client's order ("" when none is offered).
    handleProtocols: (offered) => [...offered].find((p) => p === BINARY || p === BASE64) ?? false,
  });
  return {
    kind: 'PodPortForwardOptions',
    verbs: ['create', 'get'],
    handle() {
      throw badRequest('Upgrade request required: port-forward is a WebSocket (v4.channel.k8s.io) request');
    },
    upgrade({ req, socket, head, query, object }) {
      if (!isWebSocket(req)) throw new ApiError(400, 'BadRequest', SPDY_UNSUPPORTED);
      const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
      if (offered.length > 0 && !offered.some((p) => p === BINARY || p === BASE64)) {
        throw new ApiError(400, 'BadRequest', offered.some((p) => p.includes('portforward.k8s.io')) ? SPDY_UNSUPPORTED : `requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${BINARY} ${BASE64}]`);
      }
      const ports = parsePorts(query);
      const pod = object as unknown as Pod;
      if (pod.status?.phase !== 'Running' || !pod.status.podIP) {
        throw badRequest(`unable to forward port because pod is not running. Current status=${pod.status?.phase ?? 'Pending'}`);
      }
      server.handleUpgrade(req, socket as Duplex, head, (ws) => forward(ws, pod, ports));
    },
  };
}
