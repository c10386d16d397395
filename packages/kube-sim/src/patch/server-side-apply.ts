// Server-side apply for one field manager at a time: the applied configuration is merged into the
// live object (lists with keys item by item, like strategic merge), the fields the manager set are
// recorded in metadata.managedFields (FieldsV1), and fields it applied before but no longer
// applies are removed. Conflicts between managers are not detected (see README).
import { isJsonObject, type JsonObject, type JsonValue } from '../json';
import { itemSchema, patchStrategyOf, propertySchema, type Schema } from '../openapi/schema';
import type { KubeObject } from '../store/types';
import { objectDocument, patchedObject } from './patched-object';
import { strategicMerge } from './strategic-merge';

/** A FieldsV1 set: `f:<field>` for fields, `k:{...}` for keyed list items, `.` for an item itself. */
interface FieldSet {
  [entry: string]: FieldSet;
}

/** The FieldsV1 set of a configuration. */
export function fieldSetOf(config: JsonObject, schema: Schema | undefined): FieldSet {
  const set: FieldSet = {};
  for (const [key, value] of Object.entries(config)) {
    const childSchema = propertySchema(schema, key);
    if (isJsonObject(value)) set[`f:${key}`] = fieldSetOf(value, childSchema);
    else if (Array.isArray(value)) {
      const keys = listKeys(childSchema);
      if (!keys) {
        set[`f:${key}`] = {};
        continue;
      }
      const items: FieldSet = {};
      for (const item of value) items[itemKey(item, keys)] = { '.': {}, ...(isJsonObject(item) ? fieldSetOf(item, itemSchema(childSchema)) : {}) };
      set[`f:${key}`] = items;
    } else set[`f:${key}`] = {};
  }
  return set;
}

function listKeys(schema: Schema | undefined): string[] | undefined {
  const strategy = patchStrategyOf(schema);
  if (!strategy?.mergeKey) return undefined;
  return strategy.mapKeys ?? [strategy.mergeKey];
}

function itemKey(item: JsonValue, keys: string[]): string {
  const fields = isJsonObject(item) ? item : {};
  const present = Object.fromEntries(keys.filter((k) => fields[k] !== undefined).map((k) => [k, fields[k]]));
  return `k:${JSON.stringify(present)}`;
}

/** Removes from `live` the fields in `before` (a stored FieldsV1 set) that are missing from `after`. */
function removeDropped(live: JsonValue, before: JsonObject, after: FieldSet, schema: Schema | undefined): void {
  if (!isJsonObject(live)) return;
  for (const [entry, stored] of Object.entries(before)) {
    if (!entry.startsWith('f:')) continue;
    const key = entry.slice(2);
    if (!(entry in after)) {
      delete live[key];
      continue;
    }
    const kept = after[entry];
    const children = isJsonObject(stored) ? stored : {};
    const childSchema = propertySchema(schema, key);
    const keys = listKeys(childSchema);
    const field = live[key];
    if (Array.isArray(field) && keys) {
      const items = field.filter((item) => {
        const id = itemKey(item, keys);
        return !(id in children) || id in kept;
      });
      live[key] = items;
      for (const item of items) {
        const id = itemKey(item, keys);
        const storedItem = children[id];
        if (isJsonObject(storedItem) && kept[id]) removeDropped(item, storedItem, kept[id], itemSchema(childSchema));
      }
    } else if (isJsonObject(field)) removeDropped(field, children, kept, childSchema);
  }
}

/** Applies `config` as `manager` onto `live` (undefined when the object does not exist yet). */
export function serverSideApply(live: KubeObject | undefined, config: KubeObject, manager: string, schema: Schema): KubeObject {
  const { metadata, ...configRest } = config;
  const cleanConfig = { ...configRest, metadata: { ...metadata } };
  delete cleanConfig.metadata.managedFields;
  delete cleanConfig.metadata.resourceVersion;
  const after = fieldSetOf(objectDocument(cleanConfig), schema);
  const base: JsonObject = live ? structuredClone(objectDocument(live)) : {};
  const entries = structuredClone(live?.metadata.managedFields ?? []);
  const appliedBefore = (entry: Record<string, unknown>) => entry.manager === manager && entry.operation === 'Apply';
  const previous = entries.find(appliedBefore)?.fieldsV1;
  if (isJsonObject(previous)) removeDropped(base, previous, after, schema);
  const merged = patchedObject(config.kind, strategicMerge(base, objectDocument(cleanConfig), schema));
  merged.metadata.managedFields = [
    ...entries.filter((entry) => !appliedBefore(entry)),
    {
      manager,
      operation: 'Apply',
      apiVersion: config.apiVersion,
      time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      fieldsType: 'FieldsV1',
      fieldsV1: after,
    },
  ];
  return merged;
}
