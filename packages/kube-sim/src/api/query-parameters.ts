// Query parameters read as kube-apiserver's parameter codec reads them (apimachinery's
// runtime/conversion.go and the generated url.Values conversions): a repeated parameter counts
// by its first value (lists such as dryRun take every value), a boolean is false only for "0"
// or any casing of "false" (present and empty is true), integers are Go's strconv.ParseInt in
// base 10, and parameters the options type does not know are ignored.
import { badRequest } from './status';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** Go's strconv.ParseInt(text, 10, 64), with its error text. */
export function parseInt64(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax`);
  const value = BigInt(text);
  if (value > INT64_MAX || value < INT64_MIN) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(text)}: value out of range`);
  return Number(value);
}

/** Convert_Slice_string_To_bool: only "0" and "false" (any casing) are false. */
export const parseBoolean = (text: string) => !(text === '0' || text.toLowerCase() === 'false');

export class QueryParameters {
  constructor(readonly query: URLSearchParams) {}

  /** The first value; undefined when absent. An empty value counts as unset, as Go's "" does. */
  string(name: string): string | undefined {
    return this.query.get(name) || undefined;
  }

  /** Undefined when absent (a Go *bool left nil). */
  boolean(name: string): boolean | undefined {
    const value = this.query.get(name);
    return value === null ? undefined : parseBoolean(value);
  }

  /** Undefined when absent; a 400 BadRequest with strconv's words when not an integer. */
  int64(name: string): number | undefined {
    const value = this.query.get(name);
    return value === null ? undefined : parseInt64(value);
  }

  /** Every value, for list parameters (dryRun). */
  strings(name: string): string[] {
    return this.query.getAll(name);
  }
}
