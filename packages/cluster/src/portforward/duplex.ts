import { Duplex, PassThrough, Writable } from 'node:stream';
import { type KubeConfig, PortForward } from '@kubernetes/client-node';
import { ClusterError } from '../errors/cluster-error';
import { toClusterError } from '../errors/friendly';
import { targetOf } from '../kubeconfig/access';

/** Who ended a forwarded stream: us (end/destroy), the other side (pod connection closed), or a failure. */
export type CloseCause = 'local' | 'remote' | 'error';

/** client-node's WebSocket (the `ws` package), as PortForward returns it when not retrying. */
type WebSocket = Exclude<Awaited<ReturnType<PortForward['portForward']>>, () => unknown>;

// Above this many bytes queued for the WebSocket, writes wait: a slow API server or pod
// then slows the writer instead of growing our memory.
const SEND_HIGH_WATER = 256 * 1024;
const DRAIN_POLL_MS = 5;

/** A Duplex over one port-forward connection; `closeCause` is set once it has closed. */
export class PortForwardStream extends Duplex {
  closeCause: CloseCause | undefined;
  private ws: WebSocket | undefined;
  private paused = false;
  readonly input = new PassThrough();

  constructor(
    readonly pod: string,
    readonly port: number,
  ) {
    super({ allowHalfOpen: false });
  }

  /** Called with the WebSocket once client-node has opened it. */
  attach(ws: WebSocket): void {
    this.ws = ws;
    if (this.paused) ws.pause();
    ws.on('close', () => {
      this.closeCause ??= 'remote';
      this.push(null);
    });
  }

  /** Data the pod sent (channel 0): push it, pausing the socket while our reader is behind. */
  receive(chunk: Buffer): void {
    if (chunk.length === 0) return; // client-node hands us the empty remainder of the port-number frame
    if (!this.push(chunk)) {
      this.paused = true;
      this.ws?.pause();
    }
  }

  override _read(): void {
    if (!this.paused) return;
    this.paused = false;
    this.ws?.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.closeCause) return callback(new ClusterError('port-forward', `port-forward to pod ${this.pod} port ${this.port} is closed`));
    this.input.write(chunk);
    this.whenDrained(callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    // The v4 port-forward protocol has no half-close: ending our side closes the connection,
    // after what we wrote has been sent.
    this.whenDrained(() => {
      this.closeCause ??= 'local';
      this.input.end();
      callback();
    }, 0);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.closeCause ??= error ? 'error' : 'local';
    this.ws?.terminate();
    this.input.destroy();
    callback(error);
  }

  private whenDrained(callback: () => void, limit = SEND_HIGH_WATER): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== ws.OPEN || ws.bufferedAmount <= limit) return callback();
    setTimeout(() => this.whenDrained(callback, limit), DRAIN_POLL_MS);
  }
}

/**
 * Opens a port-forward to one pod's port through client-node's PortForward (WebSocket,
 * v4.channel.k8s.io) and returns it as a Duplex with backpressure both ways. Errors the API
 * server reports on the error channel (e.g. nothing listens on the port) destroy the stream
 * with a one-line ClusterError.
 */
export async function openPortForward(kc: KubeConfig, namespace: string, podName: string, port: number): Promise<PortForwardStream> {
  const stream = new PortForwardStream(podName, port);
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      stream.receive(chunk);
      callback();
    },
  });
  let errorText = '';
  const errors = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      errorText += chunk.toString('utf8');
      if (errorText.trim()) {
        stream.destroy(new ClusterError('port-forward', `port-forward to pod ${namespace}/${podName} port ${port} failed: ${errorText.trim().split('\n')[0]}`));
      }
      callback();
    },
  });
  const target = targetOf(kc, namespace);
  try {
    const ws = (await new PortForward(kc).portForward(namespace, podName, [port], output, errors, stream.input)) as WebSocket;
    stream.attach(ws);
    ws.on('error', (error) => stream.destroy(toClusterError(error, { target })));
  } catch (error) {
    stream.destroy();
    throw toClusterError(error, { target, request: { verb: 'create', group: '', resource: 'pods/portforward', namespace, name: podName } });
  }
  return stream;
}
