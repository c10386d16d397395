// kubectl's port-forward protocol (portforward.k8s.io over SPDY, plain or tunnelled in a
// WebSocket), as the kubelet serves it: per local connection kubectl opens an error stream and
// a data stream carrying the same `requestID` and `port` headers. Once both are there we dial
// the pod's port and pipe the data stream both ways; a failure is written to the error stream.
// When the pod side is done we FIN both streams; kubectl resets the data stream when its side is.
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Pod } from '../runtime/kube-types';
import { forwardingError, type ForwardingTracker } from './forwarding';
import { RstStatus } from './spdy/frames';
import { SpdySession, type SpdyStream } from './spdy/session';

export const SPDY_PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';

interface Pair {
  error?: SpdyStream;
  data?: SpdyStream;
}

function pipeToPod(pod: Pod, port: number, pair: Required<Pair>, session: SpdySession, tracker: ForwardingTracker): void {
  const podIP = pod.status?.podIP ?? '';
  const { data, error } = pair;
  // As the kubelet (Go sets TCP_NODELAY): without it small writes wait for a delayed ACK (~40 ms).
  const socket = connect({ host: podIP, port, noDelay: true });
  tracker.podSockets.add(socket);
  let connected = false;
  socket.on('connect', () => (connected = true));

  let held: (() => void) | undefined;
  const release = () => {
    held?.();
    held = undefined;
  };
  data.on('data', (chunk: Buffer) => {
    // The pod connection ended or failed: late bytes have nowhere to go (and a write to a
    // destroyed socket returns false with no 'drain' to come, which would hold the session forever).
    if (!socket.writable) return;
    if (!socket.write(chunk) && !held) {
      held = session.hold(); // the pod reads slowly: stop reading frames until it catches up
      socket.once('drain', release);
    }
  });
  data.on('end', () => socket.end());
  data.on('reset', () => socket.destroy());
  error.on('reset', () => socket.destroy());

  socket.on('data', (chunk: Buffer) => {
    if (!data.write(chunk)) {
      socket.pause(); // kubectl reads slowly
      session.onDrain(() => socket.resume());
    }
  });
  socket.on('end', () => data.end());
  socket.on('error', (cause: NodeJS.ErrnoException) => {
    error.write(Buffer.from(forwardingError(pod, port, cause, connected)));
  });
  socket.once('close', () => {
    release();
    tracker.podSockets.delete(socket);
    data.end();
    error.end();
  });
}

/** Serves one SPDY port-forward connection over `transport` (an upgraded socket or a WebSocket as a stream). */
export function serveSpdyPortForward(transport: Duplex, pod: Pod, tracker: ForwardingTracker): void {
  const pairs = new Map<string, Pair>();
  const session = new SpdySession(
    transport,
    (stream) => {
      const port = Number(stream.headers.get('port'));
      const type = stream.headers.get('streamtype');
      if (!Number.isInteger(port) || port < 1 || port > 65535 || (type !== 'data' && type !== 'error')) {
        stream.reset(RstStatus.ProtocolError);
        return;
      }
      const key = stream.headers.get('requestid') ?? `${port}`;
      const pair = pairs.get(key) ?? {};
      pair[type] = stream;
      pairs.set(key, pair);
      stream.once('reset', () => pairs.get(key)?.[type] === stream && pairs.delete(key)); // never paired
      if (pair.data && pair.error) {
        pairs.delete(key);
        pipeToPod(pod, port, pair as Required<Pair>, session, tracker);
      }
    },
    () => tracker.sessions.delete(session),
  );
  tracker.sessions.add(session);
}
