// Strategic merge patch: like a merge patch, but lists declared with a merge key (containers by
// name, ports by containerPort...) merge item by item, and the directives kubectl sends are
// honoured: $patch (merge/replace/delete), $retainKeys, $setElementOrder/<list>,
// $deleteFromPrimitiveList/<list>.
import { badRequest } from '../api/status';
import { isJsonObject, type JsonObject, jsonText, type JsonValue } from '../json';
import { itemSchema, patchStrategyOf, propertySchema, type Schema } from '../openapi/schema';
import type { KubeObject } from '../store/types';
import { objectDocument, patchedObject } from './patched-object';

const ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';

/** The list a directive's value names, or none when it is not a list. */
const listOf = (value: JsonValue): JsonValue[] => (Array.isArray(value) ? value : []);

function withoutDirectives(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return listWithoutDirectives(value);
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.startsWith('$'))
      .map(([key, child]) => [key, withoutDirectives(child)]),
  );
}

/** A list without the items that carry a $patch directive, and the directives out of the rest. */
const listWithoutDirectives = (list: JsonValue[]): JsonValue[] => list.filter((item) => !(isJsonObject(item) && item.$patch)).map(withoutDirectives);

/** `$patch: delete`: the object (a field's value or a list item) goes. */
const isDeleted = (patch: JsonObject): boolean => patch.$patch === 'delete';

function mergeMap(original: JsonValue | undefined, patch: JsonObject, schema: Schema | undefined): JsonValue {
  const directive = patch.$patch;
  if (directive === 'replace') return withoutDirectives(patch);
  if (directive !== undefined && directive !== 'merge') throw badRequest(`Unknown patch type: ${jsonText(directive)}`);
  const result: JsonObject = isJsonObject(original) ? { ...original } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    const childSchema = propertySchema(schema, key);
    if (value === null) delete result[key];
    else if (isJsonObject(value)) {
      if (isDeleted(value)) delete result[key];
      else result[key] = mergeMap(result[key], value, childSchema);
    } else if (Array.isArray(value)) result[key] = mergeList(result[key], value, childSchema);
    else result[key] = value;
  }
  for (const [key, values] of Object.entries(patch)) {
    if (key.startsWith(DELETE_FROM)) {
      const field = key.slice(DELETE_FROM.length);
      const list = result[field];
      if (Array.isArray(list)) result[field] = list.filter((v) => !listOf(values).includes(v));
    }
    if (key.startsWith(ORDER)) {
      const field = key.slice(ORDER.length);
      const list = result[field];
      if (Array.isArray(list)) result[field] = reorder(list, listOf(values), patchStrategyOf(propertySchema(schema, field))?.mergeKey);
    }
  }
  const retained = patch.$retainKeys;
  if (Array.isArray(retained)) {
    for (const key of Object.keys(result)) if (!retained.includes(key)) delete result[key];
  }
  return result;
}

/** Puts the items named in a $setElementOrder directive first, in its order. */
function reorder(list: JsonValue[], order: JsonValue[], mergeKey: string | undefined): JsonValue[] {
  const keyOf = (item: JsonValue) => JSON.stringify(mergeKey && isJsonObject(item) ? item[mergeKey] : item);
  const wanted = order.map(keyOf);
  const ranked = list.map((item, index) => ({ item, rank: wanted.indexOf(keyOf(item)), index }));
  return ranked.sort((a, b) => (a.rank === -1 ? Infinity : a.rank) - (b.rank === -1 ? Infinity : b.rank) || a.index - b.index).map(({ item }) => item);
}

function mergeList(original: JsonValue | undefined, patch: JsonValue[], schema: Schema | undefined): JsonValue[] {
  const strategy = patchStrategyOf(schema);
  const live = Array.isArray(original) ? original : [];
  if (!strategy?.strategy.split(',').includes('merge')) return listWithoutDirectives(patch);
  if (patch.some((item) => isJsonObject(item) && item.$patch === 'replace')) return listWithoutDirectives(patch);
  if (!strategy.mergeKey) {
    const result = [...live];
    for (const item of patch) if (!result.some((existing) => JSON.stringify(existing) === JSON.stringify(item))) result.push(item);
    return result;
  }
  const key = strategy.mergeKey;
  const items = itemSchema(schema);
  const result = [...live];
  for (const item of patch) {
    if (!isJsonObject(item)) throw badRequest(`merging an object in json but data type is not map, got: ${JSON.stringify(item)}`);
    if (item[key] === undefined) throw badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${key}`);
    const index = result.findIndex((existing) => isJsonObject(existing) && existing[key] === item[key]);
    if (isDeleted(item)) {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    if (index >= 0) result[index] = mergeMap(result[index], item, items);
    else result.push(mergeMap({}, item, items));
  }
  return result;
}

/** Merges `patch` into `original` along `schema` (an object deleted by `$patch: delete` leaves an empty one). */
export function strategicMerge(original: JsonValue | undefined, patch: JsonObject, schema: Schema): JsonValue {
  return isDeleted(patch) ? {} : mergeMap(original, patch, schema);
}

/** Applies a request body (parsed JSON) as a strategic merge patch to an object. */
export function applyStrategicMergePatch(original: KubeObject, patch: unknown, schema: Schema): KubeObject {
  if (!isJsonObject(patch)) throw badRequest('strategic merge patch must be a JSON object');
  return patchedObject(original.kind, strategicMerge(objectDocument(original), patch, schema));
}
