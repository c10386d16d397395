// The server side of a SPDY/3.1 connection as kubectl's client (moby/spdystream) uses it: the
// client opens every stream (SYN_STREAM, odd ids), the server answers each with an empty
// SYN_REPLY, DATA flows both ways and FIN half-closes, RST_STREAM aborts a stream, PINGs are
// echoed, GOAWAY ends the connection. spdystream neither sends WINDOW_UPDATE nor honours it, so
// no window is enforced either way: backpressure is the transport's (pausing reads, waiting
// for 'drain'), as it is for the Go client, whose frame loop blocks on a slow stream reader.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import {
  controlFrame,
  dataFrames,
  encodeHeaderBlock,
  FLAG_FIN,
  type Frame,
  FrameReader,
  FrameType,
  HeaderDeflater,
  HeaderInflater,
  parseHeaderBlock,
  RstStatus,
  uint32s,
} from './frames';

/** A client-opened stream. Events: 'data' (Buffer), 'end' (client sent FIN), 'reset' (aborted, or the connection ended). */
export class SpdyStream extends EventEmitter {
  localClosed = false;
  remoteClosed = false;
  aborted = false;

  constructor(
    readonly id: number,
    readonly headers: Map<string, string>,
    private readonly session: SpdySession,
  ) {
    super();
  }

  /** Returns false when the transport is full: wait for session.onDrain. */
  write(data: Buffer): boolean {
    if (this.localClosed || this.aborted) return true;
    return this.session.send(...dataFrames(this.id, data, false));
  }

  /** Half-closes our side with an empty DATA frame carrying FIN. */
  end(): void {
    if (this.localClosed || this.aborted) return;
    this.localClosed = true;
    this.session.send(...dataFrames(this.id, Buffer.alloc(0), true));
    this.session.forgetIfDone(this);
  }

  reset(status: number = RstStatus.Cancel): void {
    if (this.aborted) return;
    this.session.send(controlFrame(FrameType.RstStream, 0, uint32s(this.id, status)));
    this.abort();
  }

  /** @internal the peer reset it or the connection is gone */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.session.forgetIfDone(this);
    this.emit('reset');
  }
}

export class SpdySession {
  readonly streams = new Map<number, SpdyStream>();
  private readonly reader = new FrameReader();
  private readonly inflater = new HeaderInflater();
  private readonly deflater = new HeaderDeflater();
  private readonly drainWaiters = new Set<() => void>();
  /** Frames are handled in order; header blocks decompress asynchronously, so everything queues behind them. */
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private holds = 0;

  constructor(
    private readonly transport: Duplex,
    private readonly onStream: (stream: SpdyStream) => void,
    private readonly onClose: () => void = () => {},
  ) {
    transport.on('data', (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = this.reader.push(chunk);
      } catch {
        return this.close();
      }
      for (const frame of frames) this.queue = this.queue.then(() => this.handle(frame)).catch(() => this.close());
    });
    transport.on('drain', () => {
      const waiters = [...this.drainWaiters];
      this.drainWaiters.clear();
      waiters.forEach((waiter) => waiter());
    });
    transport.once('end', () => this.close());
    transport.on('error', () => this.teardown()); // not once: a second 'error' must not go unhandled
    transport.once('close', () => this.teardown());
  }

  send(...buffers: Buffer[]): boolean {
    if (this.closed || this.transport.destroyed) return true;
    return this.transport.write(buffers.length === 1 ? buffers[0] : Buffer.concat(buffers));
  }

  onDrain(waiter: () => void): void {
    this.drainWaiters.add(waiter);
  }

  /**
   * Stops reading client frames while a pod reads slowly; reading goes on once every hold is
   * released (call the returned function; calling it again does nothing).
   */
  hold(): () => void {
    this.holds += 1;
    this.transport.pause();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds -= 1;
      if (this.holds === 0) this.transport.resume();
    };
  }

  forgetIfDone(stream: SpdyStream): void {
    if (stream.aborted || (stream.localClosed && stream.remoteClosed)) this.streams.delete(stream.id);
  }

  /** Says goodbye (GOAWAY, last stream we accepted) and closes the transport. */
  close(): void {
    if (this.closed) return;
    const lastId = Math.max(0, ...this.streams.keys());
    this.send(controlFrame(FrameType.GoAway, 0, uint32s(lastId, 0)));
    this.transport.end(); // flushes the GOAWAY; the transport closes once the peer has it
    this.teardown(false);
  }

  private teardown(destroy = true): void {
    if (this.closed) return;
    this.closed = true;
    for (const stream of [...this.streams.values()]) stream.abort();
    this.streams.clear();
    this.drainWaiters.clear();
    this.inflater.close();
    if (destroy && !this.transport.destroyed) this.transport.destroy();
    this.onClose();
  }

  private async handle(frame: Frame): Promise<void> {
    if (this.closed) return;
    if (!frame.control) return this.handleData(frame.streamId, frame.flags, frame.data);
    const { payload } = frame;
    switch (frame.type) {
      case FrameType.SynStream: {
        // stream id, associated stream id, priority + unused, slot, then the header block
        const id = payload.readUInt32BE(0) & 0x7fffffff;
        const headers = parseHeaderBlock(await this.inflater.decompress(payload.subarray(10)));
        if (id % 2 === 0 || this.streams.has(id)) {
          this.send(controlFrame(FrameType.RstStream, 0, uint32s(id, RstStatus.ProtocolError)));
          return;
        }
        const stream = new SpdyStream(id, headers, this);
        stream.remoteClosed = (frame.flags & FLAG_FIN) !== 0;
        this.streams.set(id, stream);
        this.send(controlFrame(FrameType.SynReply, 0, Buffer.concat([uint32s(id), this.deflater.compress(encodeHeaderBlock({}))])));
        this.onStream(stream);
        return;
      }
      case FrameType.Headers:
        await this.inflater.decompress(payload.subarray(4)); // nothing to do with them, but the zlib stream must stay in step
        return;
      case FrameType.RstStream:
        this.streams.get(payload.readUInt32BE(0) & 0x7fffffff)?.abort();
        return;
      case FrameType.Ping:
        this.send(controlFrame(FrameType.Ping, 0, payload));
        return;
      case FrameType.GoAway:
        this.close();
        return;
      default:
        return; // SETTINGS, WINDOW_UPDATE: see the flow-control note at the top
    }
  }

  private handleData(id: number, flags: number, data: Buffer): void {
    const stream = this.streams.get(id);
    if (!stream || stream.remoteClosed) return; // a stream we already finished or reset: late bytes are dropped
    if (data.length > 0) stream.emit('data', data);
    if (flags & FLAG_FIN) {
      stream.remoteClosed = true;
      this.forgetIfDone(stream);
      stream.emit('end');
    }
  }
}
