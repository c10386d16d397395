// Exec and attach over SPDY/3.1 (kubectl's fallback when the WebSocket upgrade fails), as the
// kubelet serves them (cri/streaming/remotecommand/httpstream.go, protocol v4.channel.k8s.io): the
// client opens one stream per `streamType` (error, stdin, stdout, stderr, resize); the session
// starts once every stream the options ask for is open. The Status goes on the error stream.
import { EventEmitter } from 'node:events';
import { Writable, type Duplex } from 'node:stream';
import { RstStatus } from '../spdy/frames';
import { SpdySession, type SpdyStream } from '../spdy/session';
import type { RemoteCommandOptions } from './options';
import { resizeParser, stdinFeed, type ExitStatus, type RemoteStreams, type TerminalSize } from './remote-streams';

export const SPDY_PROTOCOLS = ['v4.channel.k8s.io'];
/** As the kubelet's streamCreationTimeout. */
const STREAM_CREATION_TIMEOUT_MS = 30_000;

type StreamType = 'error' | 'stdin' | 'stdout' | 'stderr' | 'resize';

export class SpdyStreams extends EventEmitter<{ resize: [TerminalSize]; hangup: [] }> implements RemoteStreams {
  stdin: RemoteStreams['stdin'];
  stdout: Writable | undefined;
  stderr: Writable | undefined;
  private readonly streams = new Map<StreamType, SpdyStream>();
  private readonly session: SpdySession;
  private finished = false;

  /** Serves SPDY on `transport` and calls `ready` once the client opened the streams `options` need. */
  constructor(transport: Duplex, options: RemoteCommandOptions, ready: (streams: SpdyStreams) => void) {
    super();
    const expected = new Set<StreamType>(['error']);
    if (options.stdin) expected.add('stdin');
    if (options.stdout) expected.add('stdout');
    if (options.stderr) expected.add('stderr');
    if (options.tty) expected.add('resize');
    const timer = setTimeout(() => this.session.close(), STREAM_CREATION_TIMEOUT_MS);
    this.session = new SpdySession(
      transport,
      (stream) => {
        const type = stream.headers.get('streamtype') as StreamType;
        if (!expected.has(type) || this.streams.has(type)) return stream.reset(RstStatus.ProtocolError);
        this.streams.set(type, stream);
        this.listen(type, stream); // at once: its first frames may come before the other streams open
        if (this.streams.size === expected.size) {
          clearTimeout(timer);
          ready(this);
        }
      },
      () => {
        clearTimeout(timer);
        (this.stdin as Writable | undefined)?.end();
        if (!this.finished) this.emit('hangup');
      },
    );
  }

  private listen(type: StreamType, stream: SpdyStream): void {
    if (type === 'stdin') {
      let release: (() => void) | undefined;
      const feed = stdinFeed(
        () => (release ??= this.session.hold()),
        () => {
          release?.();
          release = undefined;
        },
      );
      this.stdin = feed.stream;
      stream.on('data', (data: Buffer) => feed.push(data));
      stream.on('end', () => feed.stream.end());
      stream.on('reset', () => feed.stream.end());
    } else if (type === 'resize') {
      stream.on('data', resizeParser((size) => this.emit('resize', size)));
    } else if (type === 'stdout' || type === 'stderr') {
      this[type] = new Writable({
        write: (chunk: Buffer, _encoding, done) => {
          if (stream.write(chunk)) done();
          else this.session.onDrain(() => done());
        },
        final: (done) => {
          stream.end();
          done();
        },
      });
    }
  }

  finish(status: ExitStatus): void {
    if (this.finished) return;
    this.finished = true;
    const error = this.streams.get('error');
    error?.write(Buffer.from(JSON.stringify(status)));
    error?.end();
    this.session.close(); // the kubelet closes the connection: every stream the client reads ends
  }
}
