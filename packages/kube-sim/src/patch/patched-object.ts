import { badRequest } from '../api/status';
import { isJsonObject, type JsonValue } from '../json';
import type { KubeObject } from '../store/types';

/**
 * The patched document, handed to the registry, which validates it as it validates any body. A patch
 * that replaced the whole object by something else (a string, a list, null) gets the registry's answer
 * to a body that is no object.
 */
export function patchedObject(kind: string, document: JsonValue | undefined): KubeObject {
  if (!isJsonObject(document)) throw badRequest(`Object '${kind}' is missing in 'null'`);
  return document as KubeObject;
}
