// What every kind's table columns share: the column shape, Name and Age, and Kubernetes'
// printers' ways of writing durations and absent values. Each kind's columns live in its
// strategy (src/registry/strategies), as its table convertor does in pkg/printers.
import type { KubeObject } from '../store/types';

/** A column of `kubectl get`, with the cell it shows for an object read as `T`. */
export interface Column<T extends KubeObject = KubeObject> {
  name: string;
  type: string;
  format?: string;
  priority?: number;
  description?: string;
  cell: (object: T) => string | number;
}

/** Kubernetes' HumanDuration: 45s, 3m20s, 15m, 2h5m, 26h, 3d4h, 50d, 2y. */
export function humanDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 730) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

export const age = (timestamp: string | undefined) => (timestamp ? humanDuration((Date.now() - Date.parse(timestamp)) / 1000) : '<unknown>');
export const orNone = (value: string | number | undefined | null) => (value === undefined || value === null || value === '' ? '<none>' : String(value));
export const selectorText = (selector: Record<string, string> | undefined) =>
  selector && Object.keys(selector).length
    ? Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')
    : '<none>';

export const NAME: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  cell: (o) => o.metadata.name,
};
export const AGE: Column = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  cell: (o) => age(o.metadata.creationTimestamp),
};
