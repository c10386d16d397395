// Test support: JSON read as the shape a test declares, and values a test needs to be there.

/** JSON text (kubectl's `-o json`, a raw answer's body) as the shape the test reads from it. */
export const parseJson = <T>(text: string): T => JSON.parse(text) as T;

/** The value, or a failure saying what was missing (`expect(x).toBeDefined()` checks but does not narrow). */
export function defined<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`expected ${what}, found ${String(value)}`);
  return value;
}
