// RFC 6902 JSON Patch: add, remove, replace, move, copy, test. Errors are 422 as on a real server.
import { ApiError, badRequest } from '../api/status';

type Json = any;
interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: Json;
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

function parentOf(document: Json, tokens: string[], path: string): { parent: Json; key: string } {
  let parent = document;
  for (const token of tokens.slice(0, -1)) {
    parent = Array.isArray(parent) ? parent[Number(token)] : parent?.[token];
    if (parent === undefined || parent === null || typeof parent !== 'object') {
      throw unprocessable(`doc is missing path: "${path}": missing value`);
    }
  }
  return { parent, key: tokens[tokens.length - 1] };
}

function read(document: Json, path: string): Json {
  let value = document;
  for (const token of pointer(path)) {
    value = Array.isArray(value) ? value[Number(token)] : value?.[token];
    if (value === undefined) throw unprocessable(`doc is missing path: "${path}": missing value`);
  }
  return value;
}

function arrayIndex(array: Json[], key: string, path: string, inserting: boolean): number {
  if (inserting && key === '-') return array.length;
  const index = Number(key);
  const limit = inserting ? array.length : array.length - 1;
  if (!/^\d+$/.test(key) || index > limit) throw unprocessable(`unable to access invalid index: ${key}: invalid index referenced: "${path}"`);
  return index;
}

function add(document: Json, path: string, value: Json): Json {
  const tokens = pointer(path);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(document, tokens, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, path, true), 0, value);
  else parent[key] = value;
  return document;
}

function remove(document: Json, path: string): Json {
  const tokens = pointer(path);
  const { parent, key } = parentOf(document, tokens, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, path, false), 1);
  else {
    if (!(key in parent)) throw unprocessable(`Unable to remove nonexistent key: ${key}: missing value`);
    delete parent[key];
  }
  return document;
}

const equal = (a: Json, b: Json): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
function canonical(value: Json): Json {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical(value[k])]),
    );
  return value;
}

export function applyJsonPatch(target: Json, patch: unknown): Json {
  if (!Array.isArray(patch)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let document = structuredClone(target);
  for (const operation of patch as Operation[]) {
    if (typeof operation?.path !== 'string') throw badRequest(`invalid JSON patch operation: ${JSON.stringify(operation)}`);
    switch (operation.op) {
      case 'add':
        document = add(document, operation.path, structuredClone(operation.value));
        break;
      case 'remove':
        document = remove(document, operation.path);
        break;
      case 'replace':
        read(document, operation.path);
        document = add(remove(document, operation.path), operation.path, structuredClone(operation.value));
        break;
      case 'move': {
        const value = read(document, operation.from ?? '');
        document = add(remove(document, operation.from ?? ''), operation.path, value);
        break;
      }
      case 'copy':
        document = add(document, operation.path, structuredClone(read(document, operation.from ?? '')));
        break;
      case 'test':
        if (!equal(read(document, operation.path), operation.value)) throw unprocessable(`testing value ${operation.path} failed: test failed`);
        break;
      default:
        throw badRequest(`Unexpected kind: ${operation.op}`);
    }
  }
  return document;
}
