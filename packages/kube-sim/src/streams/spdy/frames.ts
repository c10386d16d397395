// SPDY/3.1 framing (draft 3.1, section 2.2): every frame has an 8-byte header. Control frames:
// bit 1, version (15 bits), type (16), flags (8), length (24); data frames: bit 0, stream id
// (31), flags (8), length (24). Header blocks are zlib-compressed against SPDY_DICTIONARY,
// one zlib stream per direction for the whole connection.
import { constants, createInflate } from 'node:zlib';
import { SPDY_DICTIONARY } from './dictionary';

export const VERSION = 3;
export const FLAG_FIN = 0x01;
export const FrameType = { SynStream: 1, SynReply: 2, RstStream: 3, Settings: 4, Ping: 6, GoAway: 7, Headers: 8, WindowUpdate: 9 } as const;
/** RST_STREAM status codes used here. */
export const RstStatus = { ProtocolError: 1, InvalidStream: 2, RefusedStream: 3, Cancel: 5, InternalError: 6 } as const;
const MAX_LENGTH = 0xffffff;
const MAX_HEADER_BLOCK = 1024 * 1024;

export type Frame = { control: false; streamId: number; flags: number; data: Buffer } | { control: true; type: number; flags: number; payload: Buffer };

/** Cuts a byte stream into frames, however the transport splits it. */
export class FrameReader {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const frames: Frame[] = [];
    while (this.buffered.length >= 8) {
      const length = this.buffered.readUInt32BE(4) & MAX_LENGTH;
      if (this.buffered.length < 8 + length) break;
      const first = this.buffered.readUInt32BE(0);
      const flags = this.buffered[4];
      const body = this.buffered.subarray(8, 8 + length);
      if (first & 0x80000000) {
        const version = (first >>> 16) & 0x7fff;
        if (version !== VERSION) throw new Error(`unsupported SPDY version ${version}`);
        frames.push({ control: true, type: first & 0xffff, flags, payload: body });
      } else {
        frames.push({ control: false, streamId: first, flags, data: body });
      }
      this.buffered = this.buffered.subarray(8 + length);
    }
    return frames;
  }
}

export function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE((0x8000 | VERSION) * 0x10000 + type);
  header.writeUInt32BE(flags * 0x1000000 + payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** DATA frames for a chunk, split at the 24-bit length limit. */
export function dataFrames(streamId: number, data: Buffer, fin: boolean): Buffer[] {
  const frames: Buffer[] = [];
  let offset = 0;
  do {
    const part = data.subarray(offset, offset + MAX_LENGTH);
    offset += part.length;
    const header = Buffer.alloc(8);
    header.writeUInt32BE(streamId);
    header.writeUInt32BE((fin && offset >= data.length ? FLAG_FIN : 0) * 0x1000000 + part.length, 4);
    frames.push(header, part);
  } while (offset < data.length);
  return frames;
}

export function uint32s(...values: number[]): Buffer {
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => buffer.writeUInt32BE(value, i * 4));
  return buffer;
}

/** Name/value block: count, then length-prefixed names and values (several values joined by NUL). */
export function parseHeaderBlock(block: Buffer): Map<string, string> {
  const headers = new Map<string, string>();
  let offset = 4;
  const read = () => {
    const length = block.readUInt32BE(offset);
    const text = block.subarray(offset + 4, offset + 4 + length).toString('latin1');
    offset += 4 + length;
    return text;
  };
  for (let count = block.readUInt32BE(0); count > 0; count--) {
    const name = read().toLowerCase();
    headers.set(name, read().split('\0')[0]);
  }
  return headers;
}

export function encodeHeaderBlock(headers: Record<string, string>): Buffer {
  const entries = Object.entries(headers).flatMap(([name, value]) => [name.toLowerCase(), value].map((text) => Buffer.from(text, 'latin1')));
  return Buffer.concat([uint32s(entries.length / 2), ...entries.flatMap((bytes) => [uint32s(bytes.length), bytes])]);
}

function adler32(bytes: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return (b * 65536 + a) >>> 0;
}

/**
 * The server's outgoing zlib stream. Our header blocks are tiny (SYN_REPLY carries none), so
 * they go out as stored (uncompressed) deflate blocks: valid for any inflater, byte-aligned,
 * and written synchronously (Node's streaming deflate would make every reply asynchronous).
 */
export class HeaderDeflater {
  private started = false;

  compress(block: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      // zlib header: deflate, 32K window, FDICT set (0x78 0xBB is divisible by 31), then the dictionary id.
      parts.push(Buffer.of(0x78, 0xbb), uint32s(adler32(SPDY_DICTIONARY)));
      this.started = true;
    }
    if (block.length > 0xffff) throw new Error(`header block of ${block.length} bytes is too large`);
    const header = Buffer.alloc(5); // BFINAL 0, BTYPE 00 (stored) and padding, then LEN and NLEN, little-endian
    header.writeUInt16LE(block.length, 1);
    header.writeUInt16LE(~block.length & 0xffff, 3);
    // Then an empty stored block, as zlib's sync flush ends: Go's inflater hands out what it
    // has decoded only at such a marker, and would otherwise read past the frame for more.
    parts.push(header, block, Buffer.of(0, 0, 0, 0xff, 0xff));
    return Buffer.concat(parts);
  }
}

/** The client's incoming zlib stream: one inflater for the connection, flushed per header block. */
export class HeaderInflater {
  private readonly inflate = createInflate({ dictionary: SPDY_DICTIONARY });
  private output: Buffer[] = [];
  private outputBytes = 0;
  private failure: Error | undefined;

  constructor() {
    this.inflate.on('data', (chunk: Buffer) => {
      this.outputBytes += chunk.length;
      // kubectl's header blocks are a few hundred bytes: a block inflating past this is a zlib bomb.
      if (this.outputBytes > MAX_HEADER_BLOCK) {
        this.failure = new Error(`a header block inflates past ${MAX_HEADER_BLOCK} bytes`);
        return void this.inflate.destroy(this.failure);
      }
      this.output.push(chunk);
    });
    this.inflate.on('error', (error) => (this.failure = error));
  }

  decompress(block: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.inflate.once('error', reject);
      this.inflate.write(block);
      this.inflate.flush(constants.Z_SYNC_FLUSH, () => {
        this.inflate.off('error', reject);
        if (this.failure) return reject(this.failure);
        const out = Buffer.concat(this.output);
        this.output = [];
        this.outputBytes = 0;
        resolve(out);
      });
    });
  }

  close(): void {
    this.inflate.destroy();
  }
}
