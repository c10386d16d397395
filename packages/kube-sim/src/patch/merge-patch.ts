// RFC 7386 JSON Merge Patch: objects merge, null removes, everything else (lists too) replaces.
type Json = any;

const isObject = (value: Json) => value !== null && typeof value === 'object' && !Array.isArray(value);

export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const result = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}
