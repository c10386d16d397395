// pod-template-hash as the Deployment controller derives it (controller.ComputeHash): FNV-32a of
// the pod template (plus collisionCount), its decimal digits spelled with the "safe" alphabet of
// rand.SafeEncodeString. Kubernetes hashes the Go struct dump; we hash canonical JSON, so values
// differ from a real cluster's, but the shape, stability and uniqueness per template are the same.
import type { PodTemplateSpec } from '../runtime/kube-types';

export const TEMPLATE_HASH_LABEL = 'pod-template-hash';
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The template without the hash label, as compared and hashed. */
export function withoutHash(template: PodTemplateSpec): PodTemplateSpec {
  const labels = { ...template.metadata?.labels };
  delete labels[TEMPLATE_HASH_LABEL];
  return { ...template, metadata: { ...template.metadata, labels } };
}

export function templateHash(template: PodTemplateSpec, collisionCount = 0): string {
  const digits = String(fnv32a(canonical(withoutHash(template)) + (collisionCount ? String(collisionCount) : '')));
  return [...digits].map((d) => SAFE_ALPHABET[d.charCodeAt(0) % SAFE_ALPHABET.length]).join('');
}

/** EqualIgnoreHash: the same template but for the pod-template-hash label. */
export function sameTemplate(a: PodTemplateSpec, b: PodTemplateSpec): boolean {
  return canonical(withoutHash(a)) === canonical(withoutHash(b));
}
