// Semantic validation of the served kinds, with causes worded as the API server words them.
import type { StatusCause } from '../api/status';
import { selectorMatches } from '../store/selectors';
import { sameJson } from '../store/same-json';
import type { KubeObject } from '../store/types';
import { bindingCauses, bindingUpdateCauses, roleCauses } from './rbac-validation';

type Json = Record<string, any>;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_MESSAGE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

const invalidValue = (field: string, value: unknown, why: string): StatusCause => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${JSON.stringify(value)}: ${why}`,
  field,
});
const required = (field: string): StatusCause => ({ reason: 'FieldValueRequired', message: 'Required value', field });
const duplicate = (field: string, value: unknown): StatusCause => ({ reason: 'FieldValueDuplicate', message: `Duplicate value: ${JSON.stringify(value)}`, field });

/** RBAC objects may be named like `system:discovery`: any valid path segment. */
const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

function pathSegmentCauses(field: string, name: string): StatusCause[] {
  if (name === '.' || name === '..') return [invalidValue(field, name, `may not be '${name}'`)];
  return ['/', '%'].filter((c) => name.includes(c)).map((c) => invalidValue(field, name, `may not contain '${c}'`));
}

/** Checks a name against the rule its kind uses. */
export function nameCauses(kind: string, name: string, field = 'metadata.name'): StatusCause[] {
  if (kind === 'Namespace') return DNS1123_LABEL.test(name) && name.length <= 63 ? [] : [invalidValue(field, name, LABEL_MESSAGE)];
  if (kind === 'Service') return DNS1035_LABEL.test(name) && name.length <= 63 ? [] : [invalidValue(field, name, DNS1035_MESSAGE)];
  if (RBAC_KINDS.has(kind)) return pathSegmentCauses(field, name);
  return DNS1123_SUBDOMAIN.test(name) && name.length <= 253 ? [] : [invalidValue(field, name, SUBDOMAIN_MESSAGE)];
}

function qualifiedKeyCauses(field: string, key: string): StatusCause[] {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : '';
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if ((prefix && !DNS1123_SUBDOMAIN.test(prefix)) || !QUALIFIED_NAME.test(name) || name.length > 63) {
    return [invalidValue(field, key, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")];
  }
  return [];
}

function metadataCauses(object: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const meta = object.metadata;
  if (!meta.name) causes.push({ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' });
  else causes.push(...nameCauses(object.kind, meta.name));
  for (const [key, value] of Object.entries(meta.labels ?? {})) {
    causes.push(...qualifiedKeyCauses('metadata.labels', key));
    if (typeof value !== 'string' || !LABEL_VALUE.test(value) || value.length > 63) {
      causes.push(invalidValue('metadata.labels', value, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"));
    }
  }
  for (const key of Object.keys(meta.annotations ?? {})) causes.push(...qualifiedKeyCauses('metadata.annotations', key));
  return causes;
}

function portCauses(field: string, port: unknown): StatusCause[] {
  return typeof port === 'number' && port >= 1 && port <= 65535 ? [] : [invalidValue(field, port, 'must be between 1 and 65535, inclusive')];
}

function podSpecCauses(spec: Json | undefined, path: string): StatusCause[] {
  if (!spec) return [required(path)];
  const causes: StatusCause[] = [];
  const containers: Json[] = spec.containers ?? [];
  if (containers.length === 0) causes.push(required(`${path}.containers`));
  const names = new Set<string>();
  for (const [group, list] of [['containers', containers], ['initContainers', spec.initContainers ?? []]] as const) {
    list.forEach((c: Json, i: number) => {
      const at = `${path}.${group}[${i}]`;
      if (c.name) {
        if (!DNS1123_LABEL.test(c.name)) causes.push(invalidValue(`${at}.name`, c.name, LABEL_MESSAGE));
        if (names.has(c.name)) causes.push(duplicate(`${at}.name`, c.name));
        names.add(c.name);
      }
      if (!c.image) causes.push(required(`${at}.image`));
      const portNames = new Set<string>();
      (c.ports ?? []).forEach((p: Json, j: number) => {
        causes.push(...portCauses(`${at}.ports[${j}].containerPort`, p.containerPort));
        if (p.name) {
          if (portNames.has(p.name)) causes.push(duplicate(`${at}.ports[${j}].name`, p.name));
          portNames.add(p.name);
        }
      });
      const envNames = (c.env ?? []).map((e: Json) => e.name);
      envNames.forEach((n: string, j: number) => {
        if (n !== undefined && !/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(n)) causes.push(invalidValue(`${at}.env[${j}].name`, n, "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit"));
      });
    });
  }
  const volumes = new Set<string>();
  (spec.volumes ?? []).forEach((v: Json, i: number) => {
    if (volumes.has(v.name)) causes.push(duplicate(`${path}.volumes[${i}].name`, v.name));
    volumes.add(v.name);
  });
  return causes;
}

function workloadCauses(object: KubeObject): StatusCause[] {
  const spec = object.spec ?? {};
  const causes: StatusCause[] = [];
  if (typeof spec.replicas === 'number' && spec.replicas < 0) causes.push(invalidValue('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  const selector = spec.selector;
  if (!selector || (!selector.matchLabels && !selector.matchExpressions)) {
    causes.push(required('spec.selector'));
  } else if (!selectorMatches(selector, spec.template?.metadata?.labels)) {
    causes.push(invalidValue('spec.template.metadata.labels', spec.template?.metadata?.labels ?? {}, '`selector` does not match template `labels`'));
  }
  causes.push(...podSpecCauses(spec.template?.spec, 'spec.template.spec'));
  const restart = spec.template?.spec?.restartPolicy;
  if (restart && restart !== 'Always') {
    causes.push({ reason: 'FieldValueNotSupported', message: `Unsupported value: "${restart}": supported values: "Always"`, field: 'spec.template.spec.restartPolicy' });
  }
  return causes;
}

function serviceCauses(service: KubeObject): StatusCause[] {
  const spec = service.spec ?? {};
  const causes: StatusCause[] = [];
  const ports: Json[] = spec.ports ?? [];
  if (spec.type !== 'ExternalName' && spec.clusterIP !== 'None' && ports.length === 0) causes.push(required('spec.ports'));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    causes.push(...portCauses(`spec.ports[${i}].port`, p.port));
    if (ports.length > 1 && !p.name) causes.push(required(`spec.ports[${i}].name`));
    if (p.name && names.has(p.name)) causes.push(duplicate(`spec.ports[${i}].name`, p.name));
    if (p.name) names.add(p.name);
    if (typeof p.targetPort === 'number') causes.push(...portCauses(`spec.ports[${i}].targetPort`, p.targetPort));
  });
  return causes;
}

function dataKeyCauses(object: KubeObject): StatusCause[] {
  const keys = [...Object.keys(object.data ?? {}), ...Object.keys(object.binaryData ?? {})];
  return keys
    .filter((key) => !CONFIG_KEY.test(key))
    .map((key) => invalidValue(`data[${key}]`, key, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
}

const KIND_CAUSES: Record<string, (object: KubeObject) => StatusCause[]> = {
  Pod: (pod) => podSpecCauses(pod.spec, 'spec'),
  Deployment: workloadCauses,
  ReplicaSet: workloadCauses,
  Service: serviceCauses,
  ConfigMap: dataKeyCauses,
  Secret: dataKeyCauses,
  Role: roleCauses,
  ClusterRole: roleCauses,
  RoleBinding: bindingCauses,
  ClusterRoleBinding: bindingCauses,
};

export function validateObject(object: KubeObject): StatusCause[] {
  return [...metadataCauses(object), ...(KIND_CAUSES[object.kind]?.(object) ?? [])];
}

const immutable = (field: string, value: unknown): StatusCause => ({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: field is immutable`, field });

/** Fields that may not change once set. */
export function updateCauses(next: KubeObject, previous: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  switch (next.kind) {
    case 'Service':
      if (previous.spec?.clusterIP && previous.spec.clusterIP !== next.spec?.clusterIP && previous.spec.type !== 'ExternalName' && next.spec?.type !== 'ExternalName') {
        causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(next.spec?.clusterIP ?? '')}: field is immutable`, field: 'spec.clusterIP' });
      }
      break;
    case 'Deployment':
    case 'ReplicaSet':
      if (!sameJson(next.spec?.selector, previous.spec?.selector)) causes.push(immutable('spec.selector', next.spec?.selector));
      break;
    case 'ConfigMap':
    case 'Secret':
      if (previous.immutable) {
        if (!sameJson(next.data, previous.data) || !sameJson(next.binaryData, previous.binaryData)) {
          causes.push({ reason: 'FieldValueForbidden', message: 'Forbidden: field is immutable when `immutable` is set', field: 'data' });
        }
        if (!next.immutable) causes.push({ reason: 'FieldValueForbidden', message: 'Forbidden: field is immutable when `immutable` is set', field: 'immutable' });
      }
      if (next.kind === 'Secret' && previous.type !== next.type) causes.push(immutable('type', next.type));
      break;
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      causes.push(...bindingUpdateCauses(next, previous));
      break;
    case 'Pod': {
      // Only images (and a few scheduling fields) may change in a running pod's spec.
      const strip = (spec: Json | undefined) => ({
        ...spec,
        containers: (spec?.containers ?? []).map((c: Json) => ({ ...c, image: undefined })),
        initContainers: (spec?.initContainers ?? []).map((c: Json) => ({ ...c, image: undefined })),
        activeDeadlineSeconds: undefined,
        tolerations: undefined,
        nodeName: previous.spec?.nodeName ? spec?.nodeName : undefined,
      });
      if (!sameJson(strip(next.spec), strip(previous.spec))) {
        causes.push({ reason: 'FieldValueForbidden', message: 'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)', field: 'spec' });
      }
      break;
    }
  }
  return causes;
}
