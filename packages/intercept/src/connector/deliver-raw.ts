import type { IncomingHttpHeaders } from 'node:http';
import { constants, type ServerHttp2Stream } from 'node:http2';
import { Transform, type TransformCallback } from 'node:stream';
import { RAW_HEADER } from '../tunnel/protocol';
import { splice } from '../tunnel/splice';
import { connectLocal, type LocalTarget, notListeningMessage } from './local-target';

/**
 * Delivers a raw stream (an intercepted TCP connection, or an HTTP upgrade such as a WebSocket
 * whose request head comes first) to the local port, waiting for it like HTTP requests do.
 */
export async function deliverRaw(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, target: LocalTarget): Promise<void> {
  stream.on('error', () => {});
  const upgrade = headers[RAW_HEADER] === 'upgrade';
  const local = await connectLocal(target);
  if (stream.closed) return void local?.destroy();
  if (!local) {
    if (!upgrade) return void stream.close(constants.NGHTTP2_REFUSED_STREAM);
    const body = notListeningMessage(target);
    stream.respond({ ':status': 200 });
    stream.end(
      `HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\nx-ffk-served-by: ${target.servedBy}\r\n\r\n${body}`,
    );
    return;
  }
  stream.respond({ ':status': 200 });
  if (!upgrade) return splice(stream, local);
  // The local answer to an upgrade is an HTTP head too: mark it like every other answer.
  stream.pipe(local);
  local.pipe(new HeadMarker('x-ffk-served-by', target.servedBy)).pipe(stream);
  local.on('error', () => stream.destroy());
  local.on('close', () => !local.readableEnded && stream.destroy());
  stream.on('close', () => !stream.readableEnded && local.destroy());
}

/**
 * Sets one header in the HTTP/1.1 head at the start of a byte stream (replacing the local
 * process's own value), then passes everything after the head through untouched.
 */
class HeadMarker extends Transform {
  private head: Buffer | undefined = Buffer.alloc(0);

  constructor(
    private readonly name: string,
    private readonly value: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (!this.head) return done(null, chunk);
    const seen = Buffer.concat([this.head, chunk]);
    const end = seen.indexOf('\r\n\r\n');
    if (end < 0 && seen.length < MAX_HEAD) {
      this.head = seen;
      return done();
    }
    this.head = undefined;
    if (end < 0) return done(null, seen);
    const [status, ...fields] = seen.subarray(0, end).toString('latin1').split('\r\n');
    const kept = fields.filter((field) => !field.toLowerCase().startsWith(`${this.name}:`));
    const head = [status, ...kept, `${this.name}: ${this.value}`].join('\r\n');
    done(null, Buffer.concat([Buffer.from(head, 'latin1'), seen.subarray(end)]));
  }

  override _flush(done: TransformCallback): void {
    done(null, this.head);
  }
}

const MAX_HEAD = 64 * 1024;
