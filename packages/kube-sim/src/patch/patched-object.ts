import { badRequest } from '../api/status';
import { isJsonObject, type JsonObject, type JsonValue } from '../json';
import type { KubeObject } from '../store/types';

/** An object (or apply configuration) as the JSON document a patch walks: it was parsed from JSON and holds nothing else. */
export const objectDocument = (object: KubeObject): JsonObject => object as JsonObject;

/**
 * The patched document, handed to the registry, which validates it as it validates any body. A patch
 * that replaced the whole object by something else (a string, a list, null) gets the registry's answer
 * to a body that is no object.
 */
export function patchedObject(kind: string, document: JsonValue | undefined): KubeObject {
  if (!isJsonObject(document)) throw badRequest(`Object '${kind}' is missing in 'null'`);
  return document as KubeObject;
}
