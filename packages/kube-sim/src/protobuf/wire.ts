// The protobuf wire format, read only: varints and length-delimited fields are all the
// Kubernetes messages we decode use (fixed 32/64-bit fields are skipped).

export interface Field {
  number: number;
  /** A varint's value, or the bytes of a length-delimited field. */
  value: bigint | Uint8Array;
}

export class WireError extends Error {}

function readVarint(bytes: Uint8Array, at: number): [bigint, number] {
  let result = 0n;
  for (let shift = 0n; at < bytes.length; shift += 7n) {
    const byte = bytes[at++];
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, at];
  }
  throw new WireError('truncated varint');
}

/** The fields of one message, in order. */
export function readFields(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  let at = 0;
  while (at < bytes.length) {
    const [key, next] = readVarint(bytes, at);
    at = next;
    const number = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (wireType === 0) {
      const [value, after] = readVarint(bytes, at);
      fields.push({ number, value });
      at = after;
    } else if (wireType === 2) {
      const [length, start] = readVarint(bytes, at);
      const end = start + Number(length);
      if (end > bytes.length) throw new WireError('truncated field');
      fields.push({ number, value: bytes.subarray(start, end) });
      at = end;
    } else if (wireType === 1) at += 8;
    else if (wireType === 5) at += 4;
    else throw new WireError(`unsupported wire type ${wireType}`);
  }
  return fields;
}
