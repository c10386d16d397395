/**
 * The value, or an error naming what was missing. Unlike `expect(x).toBeDefined()` it narrows the
 * type, so a test reads on without non-null assertions.
 */
export function defined<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`expected ${what}, got ${String(value)}`);
  return value;
}
