// What both port-forward protocols (WebSocket channels, SPDY streams) share: the kubelet's wording
// of a failed forward, and a record of what is open so tests can see that nothing is left behind.
import type { Socket } from 'node:net';
import type { Pod } from '../runtime/kube-types';
import type { SpdySession } from './spdy/session';

/** The message the kubelet writes on the error stream/channel when it cannot forward. */
export function forwardingError(pod: Pod, port: number, cause: NodeJS.ErrnoException, connected: boolean): string {
  const podIP = pod.status?.podIP ?? '';
  const why = connected ? cause.message : `dial tcp ${podIP}:${port}: connect: ${cause.code === 'ECONNREFUSED' ? 'connection refused' : cause.message}`;
  return `error forwarding port ${port} to pod ${pod.metadata.name}, uid ${pod.metadata.uid}: ${why}`;
}

export interface ForwardingTracker {
  /** Open SPDY connections (kubectl port-forward sessions). */
  readonly sessions: Set<SpdySession>;
  /** Open connections to pods, for either protocol. */
  readonly podSockets: Set<Socket>;
}

export const newTracker = (): ForwardingTracker => ({ sessions: new Set(), podSockets: new Set() });
