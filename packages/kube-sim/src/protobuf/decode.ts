// Decodes the protobuf bodies kubectl's typed commands send (`kubectl create namespace|configmap|
// secret|deployment|service|serviceaccount|role|rolebinding...`, `kubectl auth can-i`) into the
// JSON the rest of the server reads. The envelope is Kubernetes' own: the magic `k8s\0`, then a
// runtime.Unknown { typeMeta, raw }. The kinds' tables sit beside this file.
import { APPS_KINDS } from './apps';
import { CORE_KINDS } from './core';
import { decodeMessage, f, type Message } from './message';
import { DELETE_OPTIONS } from './meta';
import { RBAC_KINDS } from './rbac';
import { readFields, WireError } from './wire';

const OBJECT_KINDS: Record<string, Message> = { ...CORE_KINDS, ...APPS_KINDS, ...RBAC_KINDS };
/** A typed client's DELETE body is DeleteOptions in the client's own group version (or meta.k8s.io/v1). */
const apiVersions = new Set(['meta.k8s.io/v1', ...Object.keys(OBJECT_KINDS).map((key) => key.slice(0, key.lastIndexOf('/')))]);

/** The kinds whose protobuf bodies are decoded, by `apiVersion/kind`. */
const KINDS: Record<string, Message> = {
  ...OBJECT_KINDS,
  ...Object.fromEntries([...apiVersions].map((apiVersion) => [`${apiVersion}/DeleteOptions`, DELETE_OPTIONS])),
};

const TYPE_META: Message = { 1: f('apiVersion', 'string'), 2: f('kind', 'string') };
const MAGIC = [0x6b, 0x38, 0x73, 0x00];

/** A well-formed body of a kind without a table here (`apiVersion/kind`). */
export class UndecodedKindError extends Error {}

/**
 * The JSON object of a protobuf request body. Throws WireError for bytes that are not Kubernetes
 * protobuf, UndecodedKindError for a kind we do not decode.
 */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < MAGIC.length || MAGIC.some((byte, i) => body[i] !== byte)) throw new WireError('missing the k8s protobuf prefix');
  const envelope = readFields(body.subarray(MAGIC.length)); // runtime.Unknown { typeMeta = 1, raw = 2 }
  const typeMeta = envelope.find((field) => field.number === 1)?.value;
  const raw = envelope.find((field) => field.number === 2)?.value;
  if (!(typeMeta instanceof Uint8Array) || !(raw instanceof Uint8Array)) throw new WireError('no type or object in the envelope');
  const { apiVersion, kind } = decodeMessage(typeMeta, TYPE_META) as { apiVersion?: string; kind?: string };
  const message = KINDS[`${apiVersion}/${kind}`];
  if (!message) throw new UndecodedKindError(`${apiVersion}/${kind}`);
  return { apiVersion, kind, ...decodeMessage(raw, message) };
}
