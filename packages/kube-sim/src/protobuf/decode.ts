// Decodes the protobuf bodies kubectl's typed commands send for the RBAC kinds and the access
// reviews (`kubectl auth can-i`, `kubectl create role|rolebinding|clusterrole|clusterrolebinding`)
// into the JSON the rest of the server reads. The envelope is Kubernetes' own: the magic
// `k8s\0`, then a runtime.Unknown { typeMeta, raw }. Field numbers are those of the types'
// generated.proto files. Zero values are left out, as Go's JSON encoding omits them.
import { readFields, WireError } from './wire';

type FieldType = 'string' | 'int64' | 'bool' | 'time' | 'stringMap' | Message;
interface FieldSpec {
  name: string;
  type: FieldType;
  repeated?: boolean;
}
type Message = Record<number, FieldSpec>;

const f = (name: string, type: FieldType, repeated = false): FieldSpec => ({ name, type, repeated });

const LABEL_SELECTOR_REQUIREMENT: Message = { 1: f('key', 'string'), 2: f('operator', 'string'), 3: f('values', 'string', true) };
const LABEL_SELECTOR: Message = { 1: f('matchLabels', 'stringMap'), 2: f('matchExpressions', LABEL_SELECTOR_REQUIREMENT, true) };
const OWNER_REFERENCE: Message = {
  1: f('kind', 'string'), 3: f('name', 'string'), 4: f('uid', 'string'), 5: f('apiVersion', 'string'), 6: f('controller', 'bool'), 7: f('blockOwnerDeletion', 'bool'),
};
const OBJECT_META: Message = {
  1: f('name', 'string'), 2: f('generateName', 'string'), 3: f('namespace', 'string'), 5: f('uid', 'string'), 6: f('resourceVersion', 'string'),
  7: f('generation', 'int64'), 8: f('creationTimestamp', 'time'), 11: f('labels', 'stringMap'), 12: f('annotations', 'stringMap'),
  13: f('ownerReferences', OWNER_REFERENCE, true), 14: f('finalizers', 'string', true),
};

const POLICY_RULE: Message = {
  1: f('verbs', 'string', true), 2: f('apiGroups', 'string', true), 3: f('resources', 'string', true), 4: f('resourceNames', 'string', true), 5: f('nonResourceURLs', 'string', true),
};
const SUBJECT: Message = { 1: f('kind', 'string'), 2: f('apiGroup', 'string'), 3: f('name', 'string'), 4: f('namespace', 'string') };
const ROLE_REF: Message = { 1: f('apiGroup', 'string'), 2: f('kind', 'string'), 3: f('name', 'string') };
const BINDING: Message = { 1: f('metadata', OBJECT_META), 2: f('subjects', SUBJECT, true), 3: f('roleRef', ROLE_REF) };

const SELECTOR_ATTRIBUTES: Message = { 1: f('rawSelector', 'string'), 2: f('requirements', LABEL_SELECTOR_REQUIREMENT, true) };
const RESOURCE_ATTRIBUTES: Message = {
  1: f('namespace', 'string'), 2: f('verb', 'string'), 3: f('group', 'string'), 4: f('version', 'string'), 5: f('resource', 'string'),
  6: f('subresource', 'string'), 7: f('name', 'string'), 8: f('fieldSelector', SELECTOR_ATTRIBUTES), 9: f('labelSelector', SELECTOR_ATTRIBUTES),
};
const NON_RESOURCE_ATTRIBUTES: Message = { 1: f('path', 'string'), 2: f('verb', 'string') };
const ACCESS_REVIEW_SPEC: Message = {
  1: f('resourceAttributes', RESOURCE_ATTRIBUTES), 2: f('nonResourceAttributes', NON_RESOURCE_ATTRIBUTES), 3: f('user', 'string'), 4: f('groups', 'string', true), 6: f('uid', 'string'),
};
const review = (spec: Message): Message => ({ 1: f('metadata', OBJECT_META), 2: f('spec', spec) });

/** The kinds whose protobuf bodies are decoded, by `apiVersion/kind`. */
const KINDS: Record<string, Message> = {
  'rbac.authorization.k8s.io/v1/Role': { 1: f('metadata', OBJECT_META), 2: f('rules', POLICY_RULE, true) },
  'rbac.authorization.k8s.io/v1/ClusterRole': {
    1: f('metadata', OBJECT_META), 2: f('rules', POLICY_RULE, true), 3: f('aggregationRule', { 1: f('clusterRoleSelectors', LABEL_SELECTOR, true) }),
  },
  'rbac.authorization.k8s.io/v1/RoleBinding': BINDING,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': BINDING,
  'authorization.k8s.io/v1/SelfSubjectAccessReview': review(ACCESS_REVIEW_SPEC),
  'authorization.k8s.io/v1/SubjectAccessReview': review(ACCESS_REVIEW_SPEC),
  'authorization.k8s.io/v1/LocalSubjectAccessReview': review(ACCESS_REVIEW_SPEC),
  'authorization.k8s.io/v1/SelfSubjectRulesReview': review({ 1: f('namespace', 'string') }),
};

const TYPE_META: Message = { 1: f('apiVersion', 'string'), 2: f('kind', 'string') };
const MAGIC = [0x6b, 0x38, 0x73, 0x00];
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

function value(type: FieldType, raw: bigint | Uint8Array): unknown {
  if (typeof raw === 'bigint') return type === 'bool' ? raw !== 0n : Number(BigInt.asIntN(64, raw));
  if (type === 'string') return text(raw);
  if (type === 'time') {
    const { seconds } = decodeMessage(raw, { 1: f('seconds', 'int64') }) as { seconds?: number };
    return new Date((seconds ?? 0) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  }
  if (type === 'stringMap') {
    const entry = decodeMessage(raw, { 1: f('key', 'string'), 2: f('value', 'string') }) as { key?: string; value?: string };
    return [entry.key ?? '', entry.value ?? ''];
  }
  if (typeof type === 'object') return decodeMessage(raw, type);
  throw new WireError(`a length-delimited field where a ${type} was expected`);
}

function decodeMessage(bytes: Uint8Array, message: Message): Record<string, unknown> {
  const out: Record<string, any> = {};
  for (const field of readFields(bytes)) {
    const spec = message[field.number];
    if (!spec) continue; // fields we do not read (status, managedFields...)
    const decoded = value(spec.type, field.value);
    if (spec.type === 'stringMap') {
      const [key, entryValue] = decoded as [string, string];
      out[spec.name] = { ...out[spec.name], [key]: entryValue };
    } else if (spec.repeated) (out[spec.name] ??= []).push(decoded);
    else if (decoded !== '' && decoded !== 0 && decoded !== false) out[spec.name] = decoded;
  }
  return out;
}

/**
 * The JSON object of a protobuf request body, or undefined when its kind is not one we decode.
 * Throws WireError for bytes that are not Kubernetes protobuf.
 */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> | undefined {
  if (body.length < MAGIC.length || MAGIC.some((byte, i) => body[i] !== byte)) throw new WireError('missing the k8s protobuf prefix');
  const envelope = readFields(body.subarray(MAGIC.length)); // runtime.Unknown { typeMeta = 1, raw = 2 }
  const typeMeta = envelope.find((field) => field.number === 1)?.value;
  const raw = envelope.find((field) => field.number === 2)?.value;
  if (!(typeMeta instanceof Uint8Array) || !(raw instanceof Uint8Array)) throw new WireError('no type or object in the envelope');
  const { apiVersion, kind } = decodeMessage(typeMeta, TYPE_META) as { apiVersion?: string; kind?: string };
  const message = KINDS[`${apiVersion}/${kind}`];
  return message && { apiVersion, kind, ...decodeMessage(raw, message) };
}
