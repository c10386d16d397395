// The channel framing that the kubelet's WebSocket streams share (apiserver's wsstream): every
// message starts with its channel, a byte in the binary protocols (v4/v5.channel.k8s.io), an
// ASCII digit in the base64 ones (text frames, payload base64). Port-forward and exec/attach both speak it.
import type { WebSocket } from 'ws';

export class ChannelConnection {
  private readonly base64: boolean;

  constructor(private readonly ws: WebSocket) {
    this.base64 = ws.protocol.includes('.base64.');
  }

  /** `done` runs once the frame is handed to the socket, or at once when the WebSocket is closed. */
  send(channel: number, data: Buffer, done?: () => void): void {
    if (this.ws.readyState !== this.ws.OPEN) return done?.();
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
