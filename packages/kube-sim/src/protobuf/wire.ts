// The protobuf wire format, read only: varints and length-delimited fields are all the
// Kubernetes messages we decode use (fixed 32/64-bit fields are skipped).

export interface Field {
  number: number;
  /** A varint's value, or the bytes of a length-delimited field. */
  value: bigint | Uint8Array;
}

export class WireError extends Error {}

function readVarint(bytes: Uint8Array, at: number, where: string): [bigint, number] {
  let result = 0n;
  for (let shift = 0n; at < bytes.length && shift < 70n; shift += 7n) {
    const byte = bytes[at++];
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, at];
  }
  throw new WireError(`${where}truncated or overlong varint`);
}

/** The fields of one message, in order; `path` names the message in errors. */
export function readFields(bytes: Uint8Array, path = ''): Field[] {
  const where = path ? `${path}: ` : '';
  const fields: Field[] = [];
  let at = 0;
  while (at < bytes.length) {
    const [key, next] = readVarint(bytes, at, where);
    at = next;
    const number = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (number === 0) throw new WireError(`${where}field number 0`);
    if (wireType === 0) {
      const [value, after] = readVarint(bytes, at, where);
      fields.push({ number, value });
      at = after;
    } else if (wireType === 2) {
      const [length, start] = readVarint(bytes, at, where);
      const end = start + Number(length);
      if (end > bytes.length) throw new WireError(`${where}truncated field ${number}`);
      fields.push({ number, value: bytes.subarray(start, end) });
      at = end;
    } else if (wireType === 1) at += 8;
    else if (wireType === 5) at += 4;
    else throw new WireError(`${where}unsupported wire type ${wireType}`);
  }
  if (at > bytes.length) throw new WireError(`${where}truncated fixed-size field`);
  return fields;
}
