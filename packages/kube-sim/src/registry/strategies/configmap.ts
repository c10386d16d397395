// ConfigMap (pkg/registry/core/configmap/strategy.go): key rules, and data that no longer changes
// once `immutable` is set; the Secret strategy shares both.
import { AGE, NAME } from '../../api/columns';
import { fieldForbidden, fieldInvalid } from '../../api/field-errors';
import type { StatusCause } from '../../api/status';
import { sameJson } from '../../store/same-json';
import type { ConfigMapObject } from '../kinds';
import type { Strategy } from './strategy';

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

/** What a ConfigMap and a Secret share. */
type KeyedData = Pick<ConfigMapObject, 'data' | 'binaryData' | 'immutable'>;

export function dataKeyCauses(object: KeyedData): StatusCause[] {
  const keys = [...Object.keys(object.data ?? {}), ...Object.keys(object.binaryData ?? {})];
  return keys
    .filter((key) => !CONFIG_KEY.test(key))
    .map((key) =>
      fieldInvalid(
        `data[${key}]`,
        key,
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
      ),
    );
}

export function immutableDataCauses(next: KeyedData, previous: KeyedData): StatusCause[] {
  if (!previous.immutable) return [];
  const causes: StatusCause[] = [];
  if (!sameJson(next.data, previous.data) || !sameJson(next.binaryData, previous.binaryData))
    causes.push(fieldForbidden('data', 'field is immutable when `immutable` is set'));
  if (!next.immutable) causes.push(fieldForbidden('immutable', 'field is immutable when `immutable` is set'));
  return causes;
}

export const configMapStrategy: Strategy<ConfigMapObject> = {
  validate: dataKeyCauses,
  validateUpdate: immutableDataCauses,
  columns: [NAME, { name: 'Data', type: 'integer', cell: (o) => Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length }, AGE],
};
