// RFC 6902 JSON Patch: add, remove, replace, move, copy, test. Errors are 422 as on a real server.
import { ApiError, badRequest } from '../api/status';
import { isJsonObject, type JsonObject, jsonText, type JsonValue } from '../json';
import { sameJson } from '../store/same-json';
import type { KubeObject } from '../store/types';
import { objectDocument, patchedObject } from './patched-object';

interface Operation {
  op: JsonValue;
  path: string;
  from?: JsonValue;
  value?: JsonValue;
}

const unprocessable = (message: string) => new ApiError(422, 'Invalid', message);

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw unprocessable(`invalid JSON pointer: "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The child of a JSON value at one pointer token (undefined when there is none). */
function childOf(value: JsonValue | undefined, token: string): JsonValue | undefined {
  if (Array.isArray(value)) return value[Number(token)];
  return isJsonObject(value) ? value[token] : undefined;
}

function parentOf(document: JsonValue, tokens: string[], path: string): { parent: JsonObject | JsonValue[]; key: string } {
  let parent: JsonValue | undefined = document;
  for (const token of tokens.slice(0, -1)) parent = childOf(parent, token);
  if (parent === undefined || parent === null || typeof parent !== 'object') throw unprocessable(`doc is missing path: "${path}": missing value`);
  return { parent, key: tokens[tokens.length - 1] };
}

function read(document: JsonValue, path: string): JsonValue {
  let value: JsonValue | undefined = document;
  for (const token of pointer(path)) {
    value = childOf(value, token);
    if (value === undefined) throw unprocessable(`doc is missing path: "${path}": missing value`);
  }
  return value;
}

function arrayIndex(array: JsonValue[], key: string, path: string, inserting: boolean): number {
  if (inserting && key === '-') return array.length;
  const index = Number(key);
  const limit = inserting ? array.length : array.length - 1;
  if (!/^\d+$/.test(key) || index > limit) throw unprocessable(`unable to access invalid index: ${key}: invalid index referenced: "${path}"`);
  return index;
}

function add(document: JsonValue, path: string, value: JsonValue): JsonValue {
  const tokens = pointer(path);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(document, tokens, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, path, true), 0, value);
  else parent[key] = value;
  return document;
}

function remove(document: JsonValue, path: string): JsonValue {
  const tokens = pointer(path);
  const { parent, key } = parentOf(document, tokens, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, path, false), 1);
  else {
    if (!(key in parent)) throw unprocessable(`Unable to remove nonexistent key: ${key}: missing value`);
    delete parent[key];
  }
  return document;
}

/** One operation of the patch, or a 400 naming it when it has no path. */
function operationOf(item: unknown): Operation {
  if (!isJsonObject(item) || typeof item.path !== 'string') throw badRequest(`invalid JSON patch operation: ${JSON.stringify(item)}`);
  return { op: item.op, path: item.path, from: item.from, value: item.value };
}

/** A `from` pointer; a missing one points at the whole document, as before. */
const fromOf = (operation: Operation): string => (typeof operation.from === 'string' ? operation.from : '');

/** The operation's value, copied so that later operations cannot change the patch. */
const valueOf = (operation: Operation): JsonValue => structuredClone(operation.value ?? null);

/** Applies a request body (parsed JSON) as a JSON patch to an object. */
export function applyJsonPatch(target: KubeObject, patch: unknown): KubeObject {
  if (!Array.isArray(patch)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let document: JsonValue = structuredClone(objectDocument(target));
  for (const item of patch as unknown[]) {
    const operation = operationOf(item);
    switch (operation.op) {
      case 'add':
        document = add(document, operation.path, valueOf(operation));
        break;
      case 'remove':
        document = remove(document, operation.path);
        break;
      case 'replace':
        read(document, operation.path);
        document = add(remove(document, operation.path), operation.path, valueOf(operation));
        break;
      case 'move': {
        const value = read(document, fromOf(operation));
        document = add(remove(document, fromOf(operation)), operation.path, value);
        break;
      }
      case 'copy':
        document = add(document, operation.path, structuredClone(read(document, fromOf(operation))));
        break;
      case 'test':
        if (!sameJson(read(document, operation.path), operation.value)) throw unprocessable(`testing value ${operation.path} failed: test failed`);
        break;
      default:
        throw badRequest(`Unexpected kind: ${jsonText(operation.op)}`);
    }
  }
  return patchedObject(target.kind, document);
}
