// RFC 7386 JSON Merge Patch: objects merge, null removes, everything else (lists too) replaces.
import { isJsonObject, type JsonObject, type JsonValue } from '../json';
import type { KubeObject } from '../store/types';
import { objectDocument, patchedObject } from './patched-object';

function merge(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return structuredClone(patch);
  const result: JsonObject = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = merge(result[key], value);
  }
  return result;
}

/** Merges a request body (parsed JSON) into an object. */
export function applyMergePatch(target: KubeObject, patch: unknown): KubeObject {
  return patchedObject(target.kind, isJsonObject(patch) ? merge(objectDocument(target), patch) : undefined);
}
