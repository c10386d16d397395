// Decodes a request body against the kind's schema the way the API server's JSON decoder does:
// wrong JSON types fail the request (400), unknown fields are reported (and dropped, as a Go
// struct drops them), nulls mean "not set", and required fields missing are collected for 422.
import type { StatusCause } from '../api/status';
import { itemSchema, propertySchema, resolve, type Schema } from '../openapi/schema';

export interface SchemaReport {
  unknownFields: string[];
  typeErrors: string[];
  causes: StatusCause[];
}

const GO_TYPES: Record<string, string> = { string: 'string', integer: 'int32', boolean: 'bool', number: 'float64', object: 'object', array: 'array' };

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return 'number';
  return typeof value;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Returns a cleaned copy of `value` and fills `report`. */
function decode(value: unknown, schema: Schema | undefined, path: string, report: SchemaReport): unknown {
  const resolved = resolve(schema);
  if (value === null || value === undefined) return undefined;
  if (!resolved || (resolved.type === undefined && !resolved.properties)) return value; // free-form (RawExtension)
  if (resolved['x-kubernetes-int-or-string']) {
    if (typeof value !== 'string' && typeof value !== 'number') report.typeErrors.push(`${path} of type intstr.IntOrString`);
    return value;
  }
  const expected = resolved.type ?? 'object';
  const actual = jsonType(value);
  const fits =
    expected === actual || (expected === 'integer' && actual === 'number' && Number.isInteger(value)) || (expected === 'number' && actual === 'number');
  if (!fits) {
    report.typeErrors.push(`cannot unmarshal ${actual} into Go struct field ${path} of type ${GO_TYPES[expected] ?? expected}`);
    return undefined;
  }
  if (typeof value === 'string' && resolved.enum && !resolved.enum.includes(value) && value !== '') {
    report.causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: "${value}": supported values: ${resolved.enum.map((v) => `"${v}"`).join(', ')}`,
      field: path,
    });
  }
  if (expected === 'array') {
    const items = itemSchema(resolved);
    return (value as unknown[]).map((item, index) => decode(item, items, `${path}[${index}]`, report)).filter((item) => item !== undefined);
  }
  if (expected !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childSchema = propertySchema(resolved, key);
    if (!childSchema && resolved.properties) {
      report.unknownFields.push(join(path, key));
      continue;
    }
    const decoded = decode(child, childSchema, resolved.properties?.[key] ? join(path, key) : `${path}[${key}]`, report);
    if (decoded !== undefined) out[key] = decoded;
  }
  for (const key of resolved.required ?? []) {
    if (out[key] === undefined) report.causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: join(path, key) });
  }
  return out;
}

export function decodeAgainstSchema<T>(value: T, schema: Schema): { value: T; report: SchemaReport } {
  const report: SchemaReport = { unknownFields: [], typeErrors: [], causes: [] };
  return { value: decode(value, schema, '', report) as T, report };
}
