// The originals ffk records are signed with the agent's token (HMAC-SHA256): whoever may edit a
// Deployment's annotations cannot make `ffk uninstall` or `ffk gc` apply a spec of their choosing
// (another image, privileged: true). The signature binds the object's namespace, name and uid,
// so a signed original cannot be copied onto another object either.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { ANNOTATION } from './annotations';

export function signOriginal(token: string, meta: V1ObjectMeta | undefined, original: string): string {
  const bound = JSON.stringify([meta?.namespace ?? '', meta?.name ?? '', meta?.uid ?? '', original]);
  return createHmac('sha256', token).update(bound).digest('base64url');
}

/** Whether the object's recorded original carries a valid signature by this token. */
export function originalVerifies(token: string, meta: V1ObjectMeta | undefined): boolean {
  const original = meta?.annotations?.[ANNOTATION.original];
  const given = meta?.annotations?.[ANNOTATION.signature];
  if (!original || !given || !token) return false;
  const expected = Buffer.from(signOriginal(token, meta, original));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
