// Exec and attach over a WebSocket, as kube-apiserver 1.32 serves kubectl (v5.channel.k8s.io,
// apimachinery's util/remotecommand/constants.go) and older clients (v4.channel.k8s.io and its
// base64 twin): channel 0 stdin, 1 stdout, 2 stderr, 3 the error stream (a Status as JSON),
// 4 terminal sizes (JSON); v5 adds 255, whose one byte names a stream the client closed (stdin's EOF).
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import { ChannelConnection } from '../channels';
import type { RemoteCommandOptions } from './options';
import { resizeParser, stdinFeed, type ExitStatus, type RemoteStreams, type TerminalSize } from './remote-streams';

export const V5 = 'v5.channel.k8s.io';
export const WEBSOCKET_PROTOCOLS = [V5, 'v4.channel.k8s.io', 'v4.base64.channel.k8s.io'];
const Channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

export class WebSocketStreams extends EventEmitter<{ resize: [TerminalSize]; hangup: [] }> implements RemoteStreams {
  readonly stdin;
  readonly stdout;
  readonly stderr;
  private finished = false;
  private readonly channels: ChannelConnection;

  constructor(
    private readonly ws: WebSocket,
    options: RemoteCommandOptions,
  ) {
    super();
    const channels = new ChannelConnection(ws);
    this.channels = channels;
    const feed = options.stdin ? stdinFeed(() => ws.pause(), () => ws.resume()) : undefined;
    this.stdin = feed?.stream;
    const writer = (channel: number) => new Writable({ write: (chunk: Buffer, _encoding, done) => channels.send(channel, chunk, () => done()) });
    this.stdout = options.stdout ? writer(Channel.stdout) : undefined;
    this.stderr = options.stderr ? writer(Channel.stderr) : undefined;
    const resize = resizeParser((size) => this.emit('resize', size));
    ws.on('message', (frame: Buffer, isBinary: boolean) => {
      const message = channels.decode(frame, isBinary);
      if (!message) return;
      if (message.channel === Channel.stdin) feed?.push(message.data);
      else if (message.channel === Channel.resize) resize(message.data);
      else if (message.channel === Channel.close && ws.protocol === V5 && message.data[0] === Channel.stdin) feed?.stream.end();
    });
    ws.on('close', () => {
      feed?.stream.end();
      if (!this.finished) this.emit('hangup');
    });
    ws.on('error', () => ws.terminate());
  }

  finish(status: ExitStatus): void {
    if (this.finished) return;
    this.finished = true;
    // The client reads the error stream to its end, which is the connection's normal closure.
    this.channels.send(Channel.error, Buffer.from(JSON.stringify(status)), () => this.ws.close(1000));
  }
}
