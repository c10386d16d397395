/** An object's metadata.name; the API server always sets one, so a missing name is a bug worth a clear error. */
export function nameOf(object: { kind?: string; metadata?: { name?: string } }): string {
  const name = object.metadata?.name;
  if (!name) throw new Error(`the API server returned a ${object.kind ?? 'object'} without metadata.name`);
  return name;
}
