import { isIP } from 'node:net';
import type { ClusterTarget } from './load';

export interface ContextClass {
  local: boolean;
  /** Why, in words ("context name kind-ffk (kind)", "server on loopback 127.0.0.1"). */
  reason: string;
}

// Context names that the local-cluster tools create. Matching by name is what users recognise;
// the server check below catches local clusters with other names.
const LOCAL_CONTEXT_NAMES: Array<[RegExp, string]> = [
  [/^kind-/, 'kind'],
  [/^ffk-sim$/, 'the ffk simulator'],
  [/^docker-desktop$|^docker-for-desktop$/, 'Docker Desktop'],
  [/^minikube$/, 'minikube'],
  [/^k3d-/, 'k3d'],
  [/^rancher-desktop$/, 'Rancher Desktop'],
];

export function classifyContext(target: Pick<ClusterTarget, 'context' | 'server'>): ContextClass {
  for (const [pattern, tool] of LOCAL_CONTEXT_NAMES) {
    if (pattern.test(target.context)) return { local: true, reason: `context ${target.context} (${tool})` };
  }
  const host = serverHost(target.server);
  if (host && isLoopback(host)) return { local: true, reason: `API server on loopback (${host})` };
  return { local: false, reason: `context ${target.context} at ${target.server} is not a known local cluster` };
}

function serverHost(server: string): string | undefined {
  try {
    return new URL(server).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host.toLowerCase().startsWith('::ffff:127.');
  return false;
}
