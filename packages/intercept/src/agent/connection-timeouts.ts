// How long a client of a service port may hold a connection without using it. The agent's own
// HTTP parser never listens (connections are handed to it), so Node's headersTimeout checks do
// not run: these deadlines close slowloris and idle connections instead.
import type { Socket } from 'node:net';

export interface ConnectionTimeouts {
  /** from accepting a connection (or the end of the previous answer on a keep-alive one) until a request head is complete */
  headMs: number;
  /** a spliced connection (WebSocket, TCP, not HTTP/1.x) with no bytes either way: the kubelet's streaming idle timeout */
  idleMs: number;
}

export const CONNECTION_TIMEOUTS: ConnectionTimeouts = { headMs: 10_000, idleMs: 4 * 60 * 60 * 1000 };

/** Keep-alive connections may wait this long for their next request (Node's keepAliveTimeout). */
export const KEEP_ALIVE_MS = 65_000;

const deadlines = new WeakMap<Socket, NodeJS.Timeout>();

/** Closes the connection unless a request head arrives within `ms`. */
export function awaitHead(socket: Socket, ms: number): void {
  headArrived(socket);
  const timer = setTimeout(() => socket.destroy(), ms);
  timer.unref();
  deadlines.set(socket, timer);
}

export function headArrived(socket: Socket): void {
  clearTimeout(deadlines.get(socket));
  deadlines.delete(socket);
}

/** A spliced connection: closed after `ms` without a byte either way. */
export function closeWhenIdle(socket: Socket, ms: number): void {
  headArrived(socket);
  socket.setTimeout(ms, () => socket.destroy());
}
