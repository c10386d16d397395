// Services on the simulated network: each gets its own loopback address (what cluster DNS and
// the *_SERVICE_HOST variables give out), a proxy per port over its ready endpoints, and, for a
// NodePort whose node port the kind cluster maps to the host, a listener on 127.0.0.1:<hostPort>.
import type { Endpoints, Service } from '../runtime/kube-types';
import type { AddressBlock } from './addresses';
import { readyBackends } from './endpoints';
import { type NameTable, writeNameTable } from './names';
import { ServiceProxy } from './service-proxy';

export interface ServiceNetworkOptions {
  block: AddressBlock;
  namesFile: string;
  /** nodePort -> host port on 127.0.0.1 (kind's extraPortMappings); 0 picks a free port. */
  nodePorts: Record<number, number>;
  /** Reports what could not be set up (a host port in use…); the simulator goes on without it. */
  warn: (line: string) => void;
}

interface ServiceEntry {
  address: string;
  clusterIP?: string;
  /** Serialised ports, to rebuild the proxies only when they change. */
  shape: string;
  proxies: ServiceProxy[];
}

const keyOf = (namespace: string | undefined, name: string | undefined) => `${namespace ?? 'default'}/${name ?? ''}`;

export class ServiceNetwork {
  private readonly services = new Map<string, ServiceEntry>();
  private readonly endpoints = new Map<string, Endpoints>();
  /** nodePort -> the host port actually bound. */
  readonly boundNodePorts = new Map<number, number>();
  /** Pods being deleted: out of every backend list at once, before their Endpoints catch up. */
  private readonly draining = new Set<string>();

  constructor(private readonly options: ServiceNetworkOptions) {
    this.writeNames();
  }

  addressOf(namespace: string | undefined, name: string): string | undefined {
    return this.services.get(keyOf(namespace, name))?.address;
  }

  /** The address a Service should get, before it exists (lets the API server show it as spec.clusterIP). */
  reserveAddress(): string {
    return this.options.block.allocateService();
  }

  async applyService(service: Service, reserved?: string): Promise<void> {
    const key = keyOf(service.metadata.namespace, service.metadata.name);
    const shape = JSON.stringify([service.spec.type, service.spec.ports]);
    const existing = this.services.get(key);
    if (existing?.shape === shape) return;
    if (existing) await Promise.all(existing.proxies.map((p) => p.close()));
    const address = existing?.address ?? reserved ?? this.options.block.allocateService();
    const clusterIP = service.spec.clusterIP && service.spec.clusterIP !== 'None' ? service.spec.clusterIP : undefined;
    const entry: ServiceEntry = { address, clusterIP, shape, proxies: [] };
    this.services.set(key, entry);
    this.writeNames();
    for (const port of service.spec.ports ?? []) {
      if ((port.protocol ?? 'TCP') !== 'TCP') continue;
      const backends = () => readyBackends(this.endpoints.get(key)?.subsets, port.name).filter((b) => !this.draining.has(b.ip));
      const proxy = new ServiceProxy(backends);
      entry.proxies.push(proxy);
      try {
        await proxy.listen(address, port.port);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const hint = code === 'EACCES' ? ': ports below 1024 need root or CAP_NET_BIND_SERVICE (or sysctl net.ipv4.ip_unprivileged_port_start=0)' : '';
        this.options.warn(`Service ${key} port ${port.port}: cannot listen on ${address}:${port.port} (${code})${hint}`);
        continue;
      }
      const nodePort = port.nodePort;
      const hostPort = nodePort === undefined ? undefined : this.options.nodePorts[nodePort];
      if ((service.spec.type === 'NodePort' || service.spec.type === 'LoadBalancer') && nodePort !== undefined && hostPort !== undefined) {
        const nodeProxy = new ServiceProxy(backends);
        entry.proxies.push(nodeProxy);
        try {
          this.boundNodePorts.set(nodePort, await nodeProxy.listen('127.0.0.1', hostPort));
        } catch (error) {
          this.options.warn(
            `NodePort ${port.nodePort} of Service ${key}: cannot listen on 127.0.0.1:${hostPort} (${(error as NodeJS.ErrnoException).code}); is another process using it?`,
          );
        }
      }
    }
  }

  async removeService(namespace: string | undefined, name: string): Promise<void> {
    const key = keyOf(namespace, name);
    const entry = this.services.get(key);
    if (!entry) return;
    this.services.delete(key);
    this.writeNames();
    await Promise.all(entry.proxies.map((p) => p.close()));
    this.options.block.release(entry.address);
  }

  applyEndpoints(endpoints: Endpoints): void {
    this.endpoints.set(keyOf(endpoints.metadata.namespace, endpoints.metadata.name), endpoints);
    // A draining pod stays excluded until no Endpoints list it any more (its address may be reused later).
    const listed = new Set(
      [...this.endpoints.values()].flatMap((e) => (e.subsets ?? []).flatMap((s) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])].map((a) => a.ip))),
    );
    for (const ip of this.draining) if (!listed.has(ip)) this.draining.delete(ip);
  }

  /** A pod is terminating: stop sending it new connections now, as kube-proxy does on its Endpoints update. */
  drainPod(ip: string): void {
    this.draining.add(ip);
  }

  removeEndpoints(namespace: string | undefined, name: string): void {
    this.endpoints.delete(keyOf(namespace, name));
  }

  async close(): Promise<void> {
    await Promise.all([...this.services.values()].flatMap((entry) => entry.proxies.map((p) => p.close())));
    this.services.clear();
  }

  private writeNames(): void {
    const table: NameTable = {};
    for (const [key, entry] of this.services) {
      table[key] = entry.address;
      if (entry.clusterIP) table[entry.clusterIP] = entry.address; // the preload maps connects to the clusterIP too
    }
    writeNameTable(this.options.namesFile, table);
  }
}
