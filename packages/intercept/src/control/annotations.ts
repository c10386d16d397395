// What `ffk` writes on the objects it changes, so that restore, list and gc need no other state.
import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { AgentPort } from '../agent/config';

export const ANNOTATION = {
  /** AgentRecord (JSON): how the sidecar was installed, what the CLI needs to reach it. */
  agent: 'ffk.dev/agent',
  /** DeploymentOriginal / ServiceOriginal (JSON): the exact fields before ffk changed them. */
  original: 'ffk.dev/original',
  /** HMAC of the original, keyed by the agent's token (signature.ts): restore refuses without it. */
  signature: 'ffk.dev/signature',
  /** ISO time after which `ffk gc` may remove the agent (renewed while an intercept runs). */
  leaseExpires: 'ffk.dev/lease-expires',
  /** who renewed the lease last: user@host */
  leaseHolder: 'ffk.dev/lease-holder',
} as const;

export const AGENT_CONTAINER = 'ffk-agent';

export interface AgentRecord {
  image: string;
  /** the agent's version (its bundle's); absent on agents installed from their own image */
  version?: string;
  /** ConfigMap (same namespace) holding the agent's bundle */
  bundle?: string;
  /** the app container whose port the agent took over */
  container: string;
  /** Secret (same namespace) whose key `token` the agent and the connector share */
  secret: string;
  tunnelPort: number;
  healthPort: number;
  ports: AgentPort[];
  installedAt: string;
}

/**
 * The app container's fields as they were before the install, exactly: a key is present for
 * every field ffk changed, `null` when the field was absent. Restore puts back these fields
 * only, so changes others made to the Deployment meanwhile survive an uninstall.
 */
export interface DeploymentOriginal {
  container: string;
  fields: Record<string, unknown>;
  /** what ffk wrote into each of those fields: restore puts back only fields that still hold it */
  written: Record<string, unknown>;
  /** the Deployment had no metadata.annotations before ffk added its own */
  hadAnnotations: boolean;
}

/** Service ports whose numeric targetPort ffk rewrote to the agent's port name. */
export interface ServiceOriginal {
  ports: { index: number; port: number; targetPort: number | string }[];
  hadAnnotations: boolean;
}

/** The agent record, when the annotation holds one of the right shape (it may have been edited by hand). */
export function readAgentRecord(meta: V1ObjectMeta | undefined): AgentRecord | undefined {
  const record = readJsonAnnotation<Partial<AgentRecord>>(meta, ANNOTATION.agent);
  const port = (p: unknown) => {
    const q = p as Partial<AgentPort> | null;
    return typeof q?.name === 'string' && isPort(q.listen) && isPort(q.app) && (q.protocol === 'http' || q.protocol === 'tcp');
  };
  const valid =
    typeof record === 'object' &&
    record !== null &&
    typeof record.image === 'string' &&
    typeof record.container === 'string' &&
    typeof record.secret === 'string' &&
    isPort(record.tunnelPort) &&
    isPort(record.healthPort) &&
    Array.isArray(record.ports) &&
    record.ports.length > 0 &&
    record.ports.every(port);
  return valid ? (record as AgentRecord) : undefined;
}

const isPort = (value: unknown) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65535;

export function readJsonAnnotation<T>(meta: V1ObjectMeta | undefined, key: string): T | undefined {
  const raw = meta?.annotations?.[key];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return undefined;
  }
}

/** JSON Pointer for an annotation key (RFC 6901: `/` in the key becomes `~1`). */
export function annotationPath(key: string): string {
  return `/metadata/annotations/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
