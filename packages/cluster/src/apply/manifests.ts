import type { KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { ClusterError } from '../errors/cluster-error';

/** A manifest object with the fields every apply needs. */
export type Manifest = KubernetesObject & { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };

/** Parses multi-document YAML (or JSON) into objects, expanding `kind: List`; `source` names the file in errors. */
export function parseManifests(text: string, source: string): Manifest[] {
  const objects: Manifest[] = [];
  for (const [index, document] of parseAllDocuments(text).entries()) {
    const error = document.errors[0];
    if (error) {
      throw new ClusterError('manifest', `${source}: invalid YAML in document ${index + 1}: ${error.message.split('\n')[0]}`);
    }
    const value = document.toJS() as unknown;
    if (value === null || value === undefined) continue;
    const items = isList(value) ? value.items : [value];
    for (const item of items) objects.push(checked(item, source, index + 1));
  }
  return objects;
}

function isList(value: unknown): value is { items: unknown[] } {
  const v = value as { kind?: unknown; items?: unknown };
  return typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items);
}

function checked(value: unknown, source: string, documentNumber: number): Manifest {
  const object = value as Partial<Manifest> | undefined;
  const missing =
    !object || typeof object !== 'object'
      ? 'is not an object'
      : !object.apiVersion
        ? 'has no apiVersion'
        : !object.kind
          ? 'has no kind'
          : !object.metadata?.name
            ? 'has no metadata.name'
            : undefined;
  if (missing) throw new ClusterError('manifest', `${source}: document ${documentNumber} ${missing}; every object needs apiVersion, kind and metadata.name`);
  return object as Manifest;
}

/** `deployment.apps/catalog`, the name kubectl prints for an object. */
export function objectName(object: Pick<Manifest, 'apiVersion' | 'kind' | 'metadata'>): string {
  const group = object.apiVersion.includes('/') ? `.${object.apiVersion.split('/')[0]}` : '';
  return `${object.kind.toLowerCase()}${group}/${object.metadata.name}`;
}
