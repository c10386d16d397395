import { createHash } from 'node:crypto';
import { constants, deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SPDY_DICTIONARY } from './dictionary';
import { controlFrame, dataFrames, encodeHeaderBlock, FrameReader, FrameType, HeaderDeflater, HeaderInflater, parseHeaderBlock } from './frames';

describe('SPDY/3.1 frames', () => {
  it('has the draft-3 header dictionary byte for byte (any other byte breaks every header block)', () => {
    expect(SPDY_DICTIONARY.length).toBe(1423);
    expect(createHash('sha256').update(SPDY_DICTIONARY).digest('hex')).toBe('51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02');
  });

  it('writes header blocks any zlib reader with the dictionary decodes, one stream over many blocks', () => {
    const deflater = new HeaderDeflater();
    const blocks = [encodeHeaderBlock({}), encodeHeaderBlock({ StreamType: 'data', port: '8080' })];
    const stream = Buffer.concat(blocks.map((block) => deflater.compress(block)));
    const decoded = inflateSync(stream, { dictionary: SPDY_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
    expect(decoded.equals(Buffer.concat(blocks))).toBe(true);
    expect(parseHeaderBlock(blocks[1])).toEqual(
      new Map([
        ['streamtype', 'data'],
        ['port', '8080'],
      ]),
    );
  });

  it('reads compressed header blocks from one zlib stream per connection', async () => {
    const inflater = new HeaderInflater();
    const blocks = [encodeHeaderBlock({ streamtype: 'error', requestid: '0' }), encodeHeaderBlock({ streamtype: 'data', requestid: '0' })];
    const compressed = deflateSync(Buffer.concat(blocks), { dictionary: SPDY_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
    expect((await inflater.decompress(compressed)).equals(Buffer.concat(blocks))).toBe(true);
    inflater.close();
  });

  it('cuts frames out of a byte stream however it is split', () => {
    const bytes = Buffer.concat([controlFrame(FrameType.Ping, 0, Buffer.of(0, 0, 0, 1)), ...dataFrames(3, Buffer.from('hello'), true)]);
    const reader = new FrameReader();
    const frames = [...bytes].flatMap((byte) => reader.push(Buffer.of(byte)));
    expect(frames).toEqual([
      { control: true, type: FrameType.Ping, flags: 0, payload: Buffer.of(0, 0, 0, 1) },
      { control: false, streamId: 3, flags: 1, data: Buffer.from('hello') },
    ]);
    expect(() => new FrameReader().push(Buffer.of(0x80, 2, 0, 1, 0, 0, 0, 0))).toThrow('unsupported SPDY version 2');
  });
});
