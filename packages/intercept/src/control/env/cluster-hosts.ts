// Cluster host names inside imported env values (`http://inventory`, `postgres:5432`,
// `postgres://u:p@postgres.shop.svc.cluster.local:5432/db`): found, resolved to Services, and
// rewritten to the connector's 127.0.0.1 listeners, which dial them inside the cluster.

export interface ServiceTarget {
  service: string;
  namespace: string;
  port: number;
}

export interface HostUse {
  variable: string;
  /** position of `host[:port]` in the value */
  start: number;
  end: number;
  target: ServiceTarget;
}

/** The ports of a Service, or undefined when there is no such Service (or it cannot be read). */
export type ServiceLookup = (service: string, namespace: string) => Promise<number[] | undefined>;

const DEFAULT_PORTS: Record<string, number> = {
  http: 80,
  ws: 80,
  https: 443,
  wss: 443,
  grpc: 80,
  postgres: 5432,
  postgresql: 5432,
  mysql: 3306,
  redis: 6379,
  rediss: 6379,
  amqp: 5672,
  amqps: 5671,
  mongodb: 27017,
  nats: 4222,
  kafka: 9092,
};
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOST = `${LABEL}(?:\\.${LABEL})*`;
// scheme://[userinfo@]host[:port]  or a bare host:port (alone, or in a comma/space separated list)
const URL_HOST = new RegExp(`([a-z][a-z0-9+.-]*)://(?:[^@/\\s]*@)?(${HOST})(?::(\\d{1,5}))?`, 'gi');
const HOST_PORT = new RegExp(`(?:^|(?<=[\\s,;]))(${HOST}):(\\d{1,5})(?=$|[\\s,;/])`, 'gi');

/** `svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local` -> Service and namespace. */
export function serviceOf(host: string, namespace: string): { service: string; namespace: string } | undefined {
  const parts = host.toLowerCase().split('.');
  if (parts.length === 1) return { service: parts[0], namespace };
  if (parts.length === 2 || (parts.length === 3 && parts[2] === 'svc') || (parts.length === 5 && parts.slice(2).join('.') === 'svc.cluster.local')) {
    return { service: parts[0], namespace: parts[1] };
  }
  return undefined;
}

export async function findClusterHosts(env: Record<string, string>, namespace: string, lookup: ServiceLookup): Promise<HostUse[]> {
  const uses: HostUse[] = [];
  const known = new Map<string, Promise<number[] | undefined>>();
  const portsOf = (service: string, ns: string) => {
    const key = `${service}.${ns}`;
    const ports = known.get(key) ?? lookup(service, ns);
    known.set(key, ports);
    return ports;
  };
  for (const [variable, value] of Object.entries(env)) {
    const candidates: { start: number; end: number; host: string; port?: number; scheme?: string }[] = [];
    for (const m of value.matchAll(URL_HOST)) {
      const hostStart = m.index + m[0].length - m[2].length - (m[3] ? m[3].length + 1 : 0);
      candidates.push({ start: hostStart, end: m.index + m[0].length, host: m[2], port: m[3] ? Number(m[3]) : undefined, scheme: m[1].toLowerCase() });
    }
    for (const m of value.matchAll(HOST_PORT)) {
      if (candidates.some((c) => m.index >= c.start && m.index < c.end)) continue;
      candidates.push({ start: m.index, end: m.index + m[0].length, host: m[1], port: Number(m[2]) });
    }
    for (const candidate of candidates) {
      const ref = serviceOf(candidate.host, namespace);
      if (!ref) continue;
      const ports = await portsOf(ref.service, ref.namespace);
      if (!ports?.length) continue;
      const port = candidate.port ?? (candidate.scheme ? DEFAULT_PORTS[candidate.scheme] : undefined) ?? (ports.length === 1 ? ports[0] : undefined);
      if (port === undefined || !ports.includes(port)) continue;
      uses.push({ variable, start: candidate.start, end: candidate.end, target: { ...ref, port } });
    }
  }
  return uses;
}

export const targetKey = (t: ServiceTarget) => `${t.service}.${t.namespace}:${t.port}`;

/** Distinct targets, for the connector to expose once each. */
export function distinctTargets(uses: HostUse[]): ServiceTarget[] {
  return [...new Map(uses.map((u) => [targetKey(u.target), u.target])).values()];
}

/** The env with each use replaced by 127.0.0.1:<local port of its target>. */
export function rewriteHosts(env: Record<string, string>, uses: HostUse[], localPort: (target: ServiceTarget) => number): Record<string, string> {
  const result = { ...env };
  for (const variable of new Set(uses.map((u) => u.variable))) {
    const list = uses.filter((u) => u.variable === variable);
    let value = env[variable];
    // From the end, so earlier positions stay valid.
    for (const use of list.sort((a, b) => b.start - a.start)) {
      value = `${value.slice(0, use.start)}127.0.0.1:${localPort(use.target)}${value.slice(use.end)}`;
    }
    result[variable] = value;
  }
  return result;
}

/** The fully qualified name the agent dials (cluster DNS inside the pod resolves it). */
export function dialHost(target: ServiceTarget): string {
  return `${target.service}.${target.namespace}.svc.cluster.local`;
}
