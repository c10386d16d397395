// Validation every kind shares (pkg/apis/core/validation's metadata, name and pod template
// rules), with causes worded as the API server words them. Each kind's own rules live in its
// strategy (src/registry/strategies).
import { fieldDuplicate, fieldInvalid, fieldRequired } from '../api/field-errors';
import type { StatusCause } from '../api/status';
import type { KubeObject } from '../store/types';
import type { PodSpecFields } from './kinds';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_MESSAGE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** A name rule (what a kind's metadata.name must be): the causes for a bad name. */
export type NameRule = (name: string, field?: string) => StatusCause[];

export const dns1123Subdomain: NameRule = (name, field = 'metadata.name') =>
  DNS1123_SUBDOMAIN.test(name) && name.length <= 253 ? [] : [fieldInvalid(field, name, SUBDOMAIN_MESSAGE)];
export const dns1123Label: NameRule = (name, field = 'metadata.name') =>
  DNS1123_LABEL.test(name) && name.length <= 63 ? [] : [fieldInvalid(field, name, LABEL_MESSAGE)];
export const dns1035Label: NameRule = (name, field = 'metadata.name') =>
  DNS1035_LABEL.test(name) && name.length <= 63 ? [] : [fieldInvalid(field, name, DNS1035_MESSAGE)];
/** Any valid path segment (RBAC objects are named like `system:discovery`). */
export const pathSegment: NameRule = (name, field = 'metadata.name') => {
  if (name === '.' || name === '..') return [fieldInvalid(field, name, `may not be '${name}'`)];
  return ['/', '%'].filter((c) => name.includes(c)).map((c) => fieldInvalid(field, name, `may not contain '${c}'`));
};

function qualifiedKeyCauses(field: string, key: string): StatusCause[] {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : '';
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if ((prefix && !DNS1123_SUBDOMAIN.test(prefix)) || !QUALIFIED_NAME.test(name) || name.length > 63) {
    return [
      fieldInvalid(
        field,
        key,
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ),
    ];
  }
  return [];
}

/** ValidateObjectMeta: the name by the kind's rule, label and annotation keys, label values. */
export function metadataCauses(object: KubeObject, nameRule: NameRule): StatusCause[] {
  const causes: StatusCause[] = [];
  const meta = object.metadata;
  if (!meta.name) causes.push(fieldRequired('metadata.name', 'name or generateName is required'));
  else causes.push(...nameRule(meta.name));
  for (const [key, value] of Object.entries(meta.labels ?? {})) {
    causes.push(...qualifiedKeyCauses('metadata.labels', key));
    if (typeof value !== 'string' || !LABEL_VALUE.test(value) || value.length > 63) {
      causes.push(
        fieldInvalid(
          'metadata.labels',
          value,
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ),
      );
    }
  }
  for (const key of Object.keys(meta.annotations ?? {})) causes.push(...qualifiedKeyCauses('metadata.annotations', key));
  return causes;
}

export function portCauses(field: string, port: unknown): StatusCause[] {
  return typeof port === 'number' && port >= 1 && port <= 65535 ? [] : [fieldInvalid(field, port, 'must be between 1 and 65535, inclusive')];
}

export const immutable = (field: string, value: unknown): StatusCause => fieldInvalid(field, value, 'field is immutable');

/** ValidatePodSpec (of a pod or a pod template at `path`): containers, ports, env names, volumes. */
export function podSpecCauses(spec: PodSpecFields | undefined, path: string): StatusCause[] {
  if (!spec) return [fieldRequired(path)];
  const causes: StatusCause[] = [];
  const containers = spec.containers ?? [];
  if (containers.length === 0) causes.push(fieldRequired(`${path}.containers`));
  const names = new Set<string>();
  for (const [group, list] of [
    ['containers', containers],
    ['initContainers', spec.initContainers ?? []],
  ] as const) {
    list.forEach((c, i) => {
      const at = `${path}.${group}[${i}]`;
      if (c.name) {
        if (!DNS1123_LABEL.test(c.name)) causes.push(fieldInvalid(`${at}.name`, c.name, LABEL_MESSAGE));
        if (names.has(c.name)) causes.push(fieldDuplicate(`${at}.name`, c.name));
        names.add(c.name);
      }
      if (!c.image) causes.push(fieldRequired(`${at}.image`));
      const portNames = new Set<string>();
      (c.ports ?? []).forEach((p, j) => {
        causes.push(...portCauses(`${at}.ports[${j}].containerPort`, p.containerPort));
        if (p.name) {
          if (portNames.has(p.name)) causes.push(fieldDuplicate(`${at}.ports[${j}].name`, p.name));
          portNames.add(p.name);
        }
      });
      const envNames = (c.env ?? []).map((e) => e.name);
      envNames.forEach((n, j) => {
        if (n !== undefined && !/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(n))
          causes.push(
            fieldInvalid(
              `${at}.env[${j}].name`,
              n,
              "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
            ),
          );
      });
    });
  }
  const volumes = new Set<string | undefined>();
  (spec.volumes ?? []).forEach((v, i) => {
    if (volumes.has(v.name)) causes.push(fieldDuplicate(`${path}.volumes[${i}].name`, v.name));
    volumes.add(v.name);
  });
  return causes;
}
