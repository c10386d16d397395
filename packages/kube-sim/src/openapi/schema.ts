// The OpenAPI v3 schemas of the served kinds (generated from kubernetes-models by
// scripts/generate-definitions.ts), with the patch strategies added. Validation, strategic merge
// and server-side apply walk objects along these schemas; /openapi/v3 serves them.
import { readFileSync } from 'node:fs';
import { PATCH_STRATEGIES, type PatchStrategy } from './patch-strategies';

export interface Schema {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: string[];
  allOf?: Schema[];
  $ref?: string;
  [extension: `x-kubernetes-${string}`]: unknown;
}

// Read rather than imported, so the type checker does not infer a type for 300 KB of JSON.
const definitions = JSON.parse(readFileSync(new URL('./definitions.json', import.meta.url), 'utf8')) as Record<string, Schema>;

for (const [definition, fields] of Object.entries(PATCH_STRATEGIES)) {
  const properties = definitions[`io.k8s.${definition}`]?.properties;
  if (!properties) throw new Error(`patch strategies name an unknown definition: ${definition}`);
  for (const [field, patch] of Object.entries(fields)) {
    const property = properties[field];
    property['x-kubernetes-patch-strategy'] = patch.strategy;
    if (patch.mergeKey) {
      property['x-kubernetes-patch-merge-key'] = patch.mergeKey;
      property['x-kubernetes-list-type'] = 'map';
      property['x-kubernetes-list-map-keys'] = patch.mapKeys ?? [patch.mergeKey];
    } else if (property.type === 'array') property['x-kubernetes-list-type'] = 'set';
  }
}

export function allDefinitions(): Record<string, Schema> {
  return definitions;
}

export function definitionName(group: string, version: string, kind: string): string {
  if (kind === 'Scale') return 'io.k8s.api.autoscaling.v1.Scale';
  // The Go package of a group is its first DNS label: rbac.authorization.k8s.io -> rbac.
  return `io.k8s.api.${group.split('.')[0] || 'core'}.${version}.${kind}`;
}

export function definition(name: string): Schema | undefined {
  return definitions[name];
}

/** Follows `allOf: [{$ref}]` to the referenced definition. */
export function resolve(schema: Schema | undefined): Schema | undefined {
  if (!schema) return undefined;
  const target = schema.$ref ?? schema.allOf?.[0]?.$ref;
  return target ? definitions[target.slice('#/components/schemas/'.length)] : schema;
}

/** The schema of a property of an object schema (undefined when the schema does not know it). */
export function propertySchema(schema: Schema | undefined, key: string): Schema | undefined {
  const resolved = resolve(schema);
  if (!resolved) return undefined;
  if (resolved.properties?.[key]) return resolved.properties[key];
  return typeof resolved.additionalProperties === 'object' ? resolved.additionalProperties : undefined;
}

export function itemSchema(schema: Schema | undefined): Schema | undefined {
  return resolve(schema)?.items;
}

export function patchStrategyOf(schema: Schema | undefined): PatchStrategy | undefined {
  if (!schema?.['x-kubernetes-patch-strategy']) return undefined;
  return {
    strategy: schema['x-kubernetes-patch-strategy'] as string,
    mergeKey: schema['x-kubernetes-patch-merge-key'] as string | undefined,
    mapKeys: schema['x-kubernetes-list-map-keys'] as string[] | undefined,
  };
}
