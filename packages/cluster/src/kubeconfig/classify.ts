import { isIP } from 'node:net';
import type { ClusterTarget } from './load';

export interface ContextClass {
  local: boolean;
  /** Why, in words: the rule that matched, or the one that failed ("… named like kind, but …"). */
  reason: string;
}

type ServerKind = 'loopback' | 'local-container' | 'other';

/**
 * The contexts local-cluster tools write, and where their API server may be. A context counts as
 * local only when its name and its server agree: a name alone can be anyone's (`kind-prod` at a
 * cloud address), and a loopback server alone can be a tunnel or proxy to a production cluster.
 */
const LOCAL_TOOLS: Array<{ name: RegExp; tool: string; servers: ServerKind[] }> = [
  { name: /^kind-/, tool: 'kind', servers: ['loopback', 'local-container'] },
  { name: /^k3d-/, tool: 'k3d', servers: ['loopback', 'local-container'] },
  { name: /^minikube$/, tool: 'minikube', servers: ['loopback', 'local-container'] },
  { name: /^docker-desktop$|^docker-for-desktop$/, tool: 'Docker Desktop', servers: ['loopback', 'local-container'] },
  { name: /^rancher-desktop$/, tool: 'Rancher Desktop', servers: ['loopback'] },
  { name: /^ffk-sim$/, tool: 'the ffk simulator', servers: ['loopback'] },
];

const NAMES = 'kind-*, k3d-*, minikube, docker-desktop, rancher-desktop, ffk-sim';

export function classifyContext(target: Pick<ClusterTarget, 'context' | 'server'>): ContextClass {
  const { context, server } = target;
  const host = serverHost(server);
  const where = host === undefined ? 'other' : serverKind(host);
  const tool = LOCAL_TOOLS.find((t) => t.name.test(context));
  if (!tool) {
    const loopbackNote = where === 'loopback' ? ' (a server on loopback is not proof: it may be a tunnel or proxy to a remote cluster)' : '';
    return { local: false, reason: `context "${context}" is not named like a local cluster (${NAMES})${loopbackNote}` };
  }
  if (!tool.servers.includes(where)) {
    const allowed = tool.servers.map((s) => (s === 'loopback' ? 'on loopback' : 'on a local container network')).join(' or ');
    return { local: false, reason: `context "${context}" is named like ${tool.tool}, but its server ${server} is not ${allowed}` };
  }
  return {
    local: true,
    reason: `context ${context} (${tool.tool}) with its server ${where === 'loopback' ? 'on loopback' : 'on a local container network'} (${host})`,
  };
}

function serverHost(server: string): string | undefined {
  try {
    return new URL(server).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return undefined;
  }
}

function serverKind(host: string): ServerKind {
  if (host === 'localhost' || host.endsWith('.localhost') || host === '0.0.0.0' || host === '::') return 'loopback';
  if (isIP(host) === 4) {
    if (host.startsWith('127.')) return 'loopback';
    const [a, b] = host.split('.').map(Number);
    // Docker's default address pools (kind, k3d, minikube's docker driver) and VM host-only networks.
    if ((a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'local-container';
    return 'other';
  }
  if (isIP(host) === 6) {
    if (host === '::1' || host.startsWith('::ffff:127.')) return 'loopback';
    // Unique local addresses: kind's IPv6 network is one.
    return /^f[cd]/.test(host) ? 'local-container' : 'other';
  }
  // Names Docker gives local engines and containers (kind's in-network kubeconfig: <name>-control-plane).
  if (host.endsWith('.docker.internal') || host.endsWith('-control-plane') || /^k3d-.*-server(lb|-\d+)$/.test(host)) return 'local-container';
  return 'other';
}
