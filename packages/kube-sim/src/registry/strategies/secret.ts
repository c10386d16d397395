// Secret (pkg/registry/core/secret/strategy.go, ValidateSecret): stringData folded into base64
// data at decoding, the keys each built-in type requires (basic-auth, ssh-auth, tls, dockercfg,
// dockerconfigjson, service-account-token), JSON where a type carries it, an immutable type and
// immutable data, and the columns of `kubectl get secrets`.
import { AGE, NAME } from '../../api/columns';
import { fieldInvalid, fieldRequired } from '../../api/field-errors';
import { badRequest, type StatusCause } from '../../api/status';
import type { SecretObject } from '../kinds';
import { immutable } from '../validation';
import { dataKeyCauses, immutableDataCauses } from './configmap';
import type { Strategy } from './strategy';

const REDACTED = '<secret contents redacted>';

/** Go's json.Unmarshal into a map: the error, or undefined when the text is a JSON object. */
function jsonObjectError(base64: string): string | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
    if (value === null || (typeof value === 'object' && !Array.isArray(value))) return undefined;
    return `json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into Go value of type map[string]interface {}`;
  } catch {
    return 'invalid character in JSON input';
  }
}

function typeCauses(secret: SecretObject): StatusCause[] {
  const data = secret.data ?? {};
  const has = (key: string) => key in data;
  const requiredKey = (key: string) => fieldRequired(`data[${key}]`);
  const jsonKey = (key: string): StatusCause[] => {
    if (!has(key)) return [requiredKey(key)];
    const error = jsonObjectError(data[key]);
    return error ? [fieldInvalid(`data[${key}]`, REDACTED, error)] : [];
  };
  switch (secret.type) {
    case 'kubernetes.io/service-account-token':
      return secret.metadata.annotations?.['kubernetes.io/service-account.name']
        ? []
        : [fieldRequired('metadata.annotations[kubernetes.io/service-account.name]')];
    case 'kubernetes.io/dockercfg':
      return jsonKey('.dockercfg');
    case 'kubernetes.io/dockerconfigjson':
      return jsonKey('.dockerconfigjson');
    case 'kubernetes.io/basic-auth':
      // Either may be empty, but one of them must be there.
      return has('username') || has('password') ? [] : [requiredKey('username'), requiredKey('password')];
    case 'kubernetes.io/ssh-auth':
      return data['ssh-privatekey'] ? [] : [requiredKey('ssh-privatekey')];
    case 'kubernetes.io/tls':
      return ['tls.crt', 'tls.key'].filter((key) => !has(key)).map(requiredKey);
    default:
      return [];
  }
}

export const secretStrategy: Strategy<SecretObject> = {
  canonicalize(secret) {
    if (secret.stringData) {
      const data = (secret.data = { ...secret.data });
      for (const [key, text] of Object.entries(secret.stringData)) data[key] = Buffer.from(text).toString('base64');
      delete secret.stringData;
    }
    for (const [key, encoded] of Object.entries(secret.data ?? {})) {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
        throw badRequest(
          `Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${Math.max(0, encoded.search(/[^A-Za-z0-9+/=]/))} (data[${key}])`,
        );
      }
    }
  },
  defaults: (secret) => void (secret.type ??= 'Opaque'),
  fieldLabels: { type: (o) => o.type ?? '' },
  validate: (secret) => [...dataKeyCauses(secret), ...typeCauses(secret)],
  validateUpdate: (next, previous) => [...immutableDataCauses(next, previous), ...(previous.type !== next.type ? [immutable('type', next.type)] : [])],
  columns: [
    NAME,
    { name: 'Type', type: 'string', cell: (o) => o.type ?? 'Opaque' },
    { name: 'Data', type: 'integer', cell: (o) => Object.keys(o.data ?? {}).length },
    AGE,
  ],
};
