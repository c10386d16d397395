// Field errors as apimachinery's util/validation/field words them (ErrorBody): the type's words,
// then the bad value (numbers and booleans bare, strings quoted, string lists as Go's %#v
// prints them), then the detail. Each becomes one `details.causes` entry of a 422 Invalid.
import type { StatusCause } from './status';

function goValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return `[]string{${value.map((v) => JSON.stringify(v)).join(', ')}}`;
  return JSON.stringify(value);
}

const withDetail = (body: string, detail?: string) => (detail ? `${body}: ${detail}` : body);

export const fieldInvalid = (field: string, value: unknown, detail: string): StatusCause => ({
  reason: 'FieldValueInvalid',
  message: withDetail(`Invalid value: ${goValue(value)}`, detail),
  field,
});

export const fieldRequired = (field: string, detail?: string): StatusCause => ({ reason: 'FieldValueRequired', message: withDetail('Required value', detail), field });

export const fieldForbidden = (field: string, detail: string): StatusCause => ({ reason: 'FieldValueForbidden', message: withDetail('Forbidden', detail), field });

export const fieldDuplicate = (field: string, value: unknown): StatusCause => ({ reason: 'FieldValueDuplicate', message: `Duplicate value: ${goValue(value)}`, field });

export const fieldTooLong = (field: string, max: number): StatusCause => ({ reason: 'FieldValueTooLong', message: `Too long: may not be more than ${max} bytes`, field });

export const fieldNotSupported = (field: string, value: unknown, supported: string[]): StatusCause => ({
  reason: 'FieldValueNotSupported',
  message: withDetail(`Unsupported value: ${goValue(value)}`, supported.length ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : ''),
  field,
});
