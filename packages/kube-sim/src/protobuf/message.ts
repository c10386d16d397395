// Schema tables for Kubernetes protobuf messages, and the decoder that turns a message into the
// JSON the rest of the server reads. Field numbers are those of the types' generated.proto files;
// the tables list the fields we read, every other field is skipped.
import { readFields, WireError } from './wire';

/**
 * How a field's value becomes JSON:
 * - `int`, `bool`: varints (int32 and int64 alike);
 * - `bytes`: base64, as Go's JSON encodes []byte;
 * - `time`, `microTime`: meta/v1 Time and MicroTime as RFC 3339;
 * - `quantity`: resource.Quantity, its canonical string;
 * - `intOrString`: intstr.IntOrString, a number or a string.
 */
type Scalar = 'string' | 'int' | 'bool' | 'bytes' | 'time' | 'microTime' | 'quantity' | 'intOrString';
interface MapOf {
  mapOf: FieldType;
}
export type FieldType = Scalar | MapOf | Message;
export type Message = { [number: number]: FieldSpec };

interface FieldSpec {
  name: string;
  type: FieldType;
  repeated?: boolean;
  /** A Go pointer field: its zero value was set on purpose (replicas: 0), so it is kept. */
  keepZero?: boolean;
  /** An embedded Go struct: its fields are the parent's in JSON (Volume's VolumeSource). */
  inline?: boolean;
}

/** A field whose zero value is left out, as Go's JSON encoding omits empty values. */
export const f = (name: string, type: FieldType): FieldSpec => ({ name, type });
/** A repeated field: a JSON array. */
export const list = (name: string, type: FieldType): FieldSpec => ({ name, type, repeated: true });
/** A pointer field (`*int32`, `*bool`...): present means set, even to 0 or false. */
export const opt = (name: string, type: FieldType): FieldSpec => ({ name, type, keepZero: true });
/** An embedded struct, flattened into its parent. */
export const inline = (type: Message): FieldSpec => ({ name: '', type, inline: true });
/** A proto map (repeated entries of key = 1, value = 2): a JSON object. */
export const mapOf = (type: FieldType): MapOf => ({ mapOf: type });

const VARINT_TYPES = new Set<FieldType>(['int', 'bool']);
const TIMESTAMP: Message = { 1: f('seconds', 'int'), 2: f('nanos', 'int') };
const QUANTITY: Message = { 1: f('string', 'string') };
const INT_OR_STRING: Message = { 1: f('type', 'int'), 2: f('intVal', 'int'), 3: f('strVal', 'string') };

/** RFC 3339 in UTC with `digits` fractional digits; undefined for the zero time (JSON null). */
function timestamp(bytes: Uint8Array, path: string, digits: number): string | undefined {
  const { seconds = 0, nanos = 0 } = decodeMessage(bytes, TIMESTAMP, path) as { seconds?: number; nanos?: number };
  if (seconds === 0 && nanos === 0) return undefined;
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) throw new WireError(`${path}: a time out of range`);
  const fraction = digits ? `.${String(nanos).padStart(9, '0').slice(0, digits)}` : '';
  return `${date.toISOString().slice(0, 19)}${fraction}Z`;
}

function value(type: FieldType, raw: bigint | Uint8Array, path: string): unknown {
  if (typeof raw === 'bigint') {
    if (!VARINT_TYPES.has(type)) throw new WireError(`${path}: expected ${describe(type)}, got a varint`);
    return type === 'bool' ? raw !== 0n : Number(BigInt.asIntN(64, raw));
  }
  if (VARINT_TYPES.has(type)) throw new WireError(`${path}: expected ${describe(type)}, got length-delimited bytes`);
  switch (type) {
    case 'string':
      return Buffer.from(raw).toString('utf8');
    case 'bytes':
      return Buffer.from(raw).toString('base64');
    case 'time':
      return timestamp(raw, path, 0);
    case 'microTime':
      return timestamp(raw, path, 6);
    case 'quantity':
      return (decodeMessage(raw, QUANTITY, path) as { string?: string }).string ?? '0';
    case 'intOrString': {
      const { type: kind = 0, intVal = 0, strVal = '' } = decodeMessage(raw, INT_OR_STRING, path) as { type?: number; intVal?: number; strVal?: string };
      return kind === 1 ? strVal : intVal;
    }
  }
  if (typeof type === 'object' && 'mapOf' in type) {
    const entry = decodeMessage(raw, { 1: f('key', 'string'), 2: opt('value', type.mapOf) }, path) as { key?: string; value?: unknown };
    return [entry.key ?? '', entry.value ?? zeroOf(type.mapOf)];
  }
  return decodeMessage(raw, type as Message, path);
}

/** A map entry without a value holds the zero value of the map's value type. */
const zeroOf = (type: FieldType): unknown => (type === 'int' ? 0 : type === 'bool' ? false : type === 'quantity' ? '0' : typeof type === 'string' ? '' : {});

const NAMES: Record<Scalar, string> = {
  string: 'a string',
  int: 'a number',
  bool: 'a boolean',
  bytes: 'bytes',
  time: 'a time',
  microTime: 'a time',
  quantity: 'a quantity',
  intOrString: 'an int-or-string',
};
const describe = (type: FieldType) => (typeof type === 'string' ? NAMES[type] : 'mapOf' in type ? 'a map entry' : 'a message');
/** Go's JSON omits empty strings, numbers and booleans; messages (IntOrString, Quantity too) are kept when sent. */
const SCALARS_WITH_ZERO = new Set<FieldType>(['string', 'int', 'bool', 'bytes']);
const isOmittedZero = (type: FieldType, decoded: unknown) => SCALARS_WITH_ZERO.has(type) && (decoded === '' || decoded === 0 || decoded === false);

/** Decodes one message by its table; `path` names it in errors (`spec.template`). */
export function decodeMessage(bytes: Uint8Array, message: Message, path = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // A map or repeated field collects its entries over several fields of the message.
  const maps = new Map<string, Record<string, unknown>>();
  const lists = new Map<string, unknown[]>();
  const collected = <T>(containers: Map<string, T>, name: string, make: () => T): T => {
    let container = containers.get(name);
    if (container === undefined) {
      container = make();
      containers.set(name, container);
      out[name] = container;
    }
    return container;
  };
  for (const field of readFields(bytes, path)) {
    const spec = message[field.number];
    if (!spec) continue; // fields we do not read (status, managedFields, newer fields...)
    const fieldPath = spec.inline ? path : path ? `${path}.${spec.name}` : spec.name;
    const decoded = value(spec.type, field.value, fieldPath);
    if (decoded === undefined) continue;
    if (spec.inline) Object.assign(out, decoded);
    else if (typeof spec.type === 'object' && 'mapOf' in spec.type) {
      const [key, entryValue] = decoded as [string, unknown];
      // defineProperty: a key such as `__proto__` stays an ordinary entry.
      Object.defineProperty(
        collected(maps, spec.name, () => ({})),
        key,
        { value: entryValue, enumerable: true, writable: true, configurable: true },
      );
    } else if (spec.repeated) collected(lists, spec.name, () => []).push(decoded);
    else if (spec.keepZero || !isOmittedZero(spec.type, decoded)) out[spec.name] = decoded;
  }
  return out;
}
