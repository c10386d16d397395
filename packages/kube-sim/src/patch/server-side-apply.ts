// Server-side apply for one field manager at a time: the applied configuration is merged into the
// live object (lists with keys item by item, like strategic merge), the fields the manager set are
// recorded in metadata.managedFields (FieldsV1), and fields it applied before but no longer
// applies are removed. Conflicts between managers are not detected (see README).
import { itemSchema, patchStrategyOf, propertySchema, type Schema } from '../openapi/schema';
import type { KubeObject } from '../store/types';
import { applyStrategicMergePatch } from './strategic-merge';

type Json = any;
type FieldSet = Record<string, any>;
const isObject = (value: Json) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The FieldsV1 set of a configuration: `f:<field>` for fields, `k:{...}` for keyed list items. */
export function fieldSetOf(config: Json, schema: Schema | undefined): FieldSet {
  const set: FieldSet = {};
  for (const [key, value] of Object.entries(config ?? {})) {
    const childSchema = propertySchema(schema, key);
    if (isObject(value)) set[`f:${key}`] = fieldSetOf(value, childSchema);
    else if (Array.isArray(value)) {
      const keys = listKeys(childSchema);
      if (!keys) {
        set[`f:${key}`] = {};
        continue;
      }
      const items: FieldSet = {};
      for (const item of value) items[itemKey(item, keys)] = { '.': {}, ...fieldSetOf(item, itemSchema(childSchema)) };
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

function itemKey(item: Json, keys: string[]): string {
  const present = Object.fromEntries(keys.filter((k) => item?.[k] !== undefined).map((k) => [k, item[k]]));
  return `k:${JSON.stringify(present)}`;
}

/** Removes from `live` the fields in `before` that are missing from `after`. */
function removeDropped(live: Json, before: FieldSet, after: FieldSet, schema: Schema | undefined): void {
  if (!isObject(live)) return;
  for (const [entry, children] of Object.entries(before)) {
    if (!entry.startsWith('f:')) continue;
    const key = entry.slice(2);
    if (!(entry in after)) {
      delete live[key];
      continue;
    }
    const childSchema = propertySchema(schema, key);
    const keys = listKeys(childSchema);
    if (Array.isArray(live[key]) && keys) {
      live[key] = live[key].filter((item: Json) => {
        const id = itemKey(item, keys);
        return !(id in children) || id in after[entry];
      });
      for (const item of live[key]) {
        const id = itemKey(item, keys);
        if (children[id] && after[entry][id]) removeDropped(item, children[id], after[entry][id], itemSchema(childSchema));
      }
    } else if (isObject(live[key])) removeDropped(live[key], children, after[entry], childSchema);
  }
}

/** Applies `config` as `manager` onto `live` (undefined when the object does not exist yet). */
export function serverSideApply(live: KubeObject | undefined, config: KubeObject, manager: string, schema: Schema): KubeObject {
  const { metadata, ...configRest } = config;
  const cleanConfig = { ...configRest, metadata: { ...metadata } };
  delete cleanConfig.metadata.managedFields;
  delete cleanConfig.metadata.resourceVersion;
  const after = fieldSetOf(cleanConfig, schema);
  const base: Json = structuredClone(live ?? {});
  const entries: Json[] = base.metadata?.managedFields ?? [];
  const previous = entries.find((e) => e.manager === manager && e.operation === 'Apply');
  if (previous) removeDropped(base, previous.fieldsV1 ?? {}, after, schema);
  const merged = applyStrategicMergePatch(base, cleanConfig, schema) as KubeObject;
  merged.metadata.managedFields = [
    ...entries.filter((e) => !(e.manager === manager && e.operation === 'Apply')),
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
