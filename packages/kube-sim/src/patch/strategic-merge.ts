// Strategic merge patch: like a merge patch, but lists declared with a merge key (containers by
// name, ports by containerPort...) merge item by item, and the directives kubectl sends are
// honoured: $patch (merge/replace/delete), $retainKeys, $setElementOrder/<list>,
// $deleteFromPrimitiveList/<list>.
import { badRequest } from '../api/status';
import { itemSchema, patchStrategyOf, propertySchema, type Schema } from '../openapi/schema';

type Json = any;
const isObject = (value: Json) => value !== null && typeof value === 'object' && !Array.isArray(value);
const ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';

function withoutDirectives(value: Json): Json {
  if (Array.isArray(value)) return value.filter((item) => !(isObject(item) && item.$patch)).map(withoutDirectives);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.startsWith('$'))
      .map(([key, child]) => [key, withoutDirectives(child)]),
  );
}

function mergeMap(original: Json, patch: Json, schema: Schema | undefined): Json {
  if (patch.$patch === 'replace') return withoutDirectives(patch);
  if (patch.$patch === 'delete') return undefined;
  if (patch.$patch !== undefined && patch.$patch !== 'merge') throw badRequest(`Unknown patch type: ${patch.$patch}`);
  const result: Json = isObject(original) ? { ...original } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    const childSchema = propertySchema(schema, key);
    if (value === null) delete result[key];
    else if (isObject(value)) {
      const merged = mergeMap(result[key], value, childSchema);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else if (Array.isArray(value)) result[key] = mergeList(result[key], value, childSchema);
    else result[key] = value;
  }
  for (const [key, values] of Object.entries(patch)) {
    if (key.startsWith(DELETE_FROM)) {
      const field = key.slice(DELETE_FROM.length);
      if (Array.isArray(result[field])) result[field] = result[field].filter((v: Json) => !(values as Json[]).includes(v));
    }
    if (key.startsWith(ORDER)) {
      const field = key.slice(ORDER.length);
      if (Array.isArray(result[field])) result[field] = reorder(result[field], values as Json[], patchStrategyOf(propertySchema(schema, field))?.mergeKey);
    }
  }
  if (Array.isArray(patch.$retainKeys)) {
    for (const key of Object.keys(result)) if (!patch.$retainKeys.includes(key)) delete result[key];
  }
  return result;
}

/** Puts the items named in a $setElementOrder directive first, in its order. */
function reorder(list: Json[], order: Json[], mergeKey: string | undefined): Json[] {
  const keyOf = (item: Json) => JSON.stringify(mergeKey && isObject(item) ? item[mergeKey] : item);
  const wanted = order.map(keyOf);
  const ranked = list.map((item, index) => ({ item, rank: wanted.indexOf(keyOf(item)), index }));
  return ranked.sort((a, b) => (a.rank === -1 ? Infinity : a.rank) - (b.rank === -1 ? Infinity : b.rank) || a.index - b.index).map(({ item }) => item);
}

function mergeList(original: Json, patch: Json[], schema: Schema | undefined): Json[] {
  const strategy = patchStrategyOf(schema);
  const live: Json[] = Array.isArray(original) ? original : [];
  if (!strategy?.strategy.split(',').includes('merge')) return withoutDirectives(patch);
  if (patch.some((item) => isObject(item) && item.$patch === 'replace')) return withoutDirectives(patch);
  if (!strategy.mergeKey) {
    const result = [...live];
    for (const item of patch) if (!result.some((existing) => JSON.stringify(existing) === JSON.stringify(item))) result.push(item);
    return result;
  }
  const key = strategy.mergeKey;
  const items = itemSchema(schema);
  const result = [...live];
  for (const item of patch) {
    if (!isObject(item)) throw badRequest(`merging an object in json but data type is not map, got: ${JSON.stringify(item)}`);
    if (item[key] === undefined) throw badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${key}`);
    const index = result.findIndex((existing) => isObject(existing) && existing[key] === item[key]);
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    if (index >= 0) result[index] = mergeMap(result[index], item, items);
    else result.push(mergeMap({}, item, items));
  }
  return result;
}

export function applyStrategicMergePatch(original: Json, patch: Json, schema: Schema): Json {
  if (!isObject(patch)) throw badRequest('strategic merge patch must be a JSON object');
  return mergeMap(original, patch, schema) ?? {};
}
