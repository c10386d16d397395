// Test support: JSON read as the shape a test declares.

/** JSON text (kubectl's `-o json`, a raw answer's body) as the shape the test reads from it. */
export const parseJson = <T>(text: string): T => JSON.parse(text) as T;

/** A list answer (`kubectl get -o json`, a list request) as far as tests read it. */
export interface List<T> {
  items: T[];
}
