// Loaded with `--import` into every Node container, before the app. It gives the process a pod's
// view of the network without changing the app: listening on the unspecified address (or
// localhost) binds the pod's own loopback address, `localhost` reaches the pod's containers, and
// cluster DNS names resolve to Services through the simulator's name table.
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import net, { isIP } from 'node:net';
import os from 'node:os';
import { type NameTable, nameTableReader, resolveServiceName } from './names';

export const POD_IP_ENV = 'KUBE_SIM_POD_IP';
export const POD_NAMESPACE_ENV = 'KUBE_SIM_POD_NAMESPACE';
export const NAMES_FILE_ENV = 'KUBE_SIM_NAMES_FILE';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '0:0:0:0:0:0:0:1', 'localhost.']);
const UNSPECIFIED = new Set(['', '0.0.0.0', '::', '0:0:0:0:0:0:0:0']);

const podIP = process.env[POD_IP_ENV];
if (podIP) install(podIP, process.env[POD_NAMESPACE_ENV] ?? 'default', process.env[NAMES_FILE_ENV]);

function install(ip: string, namespace: string, namesFile: string | undefined): void {
  const table: () => NameTable = namesFile ? nameTableReader(namesFile) : () => ({});

  /** The address a name means inside this pod, or undefined to let the system resolve it. */
  const podAddress = (host: string): string | undefined => (LOCAL_HOSTS.has(host.toLowerCase()) ? ip : resolveServiceName(host, namespace, table()));

  const listenHost = (host: unknown): unknown =>
    host === undefined || host === null || (typeof host === 'string' && (UNSPECIFIED.has(host) || LOCAL_HOSTS.has(host.toLowerCase()))) ? ip : host;

  const isPortArgument = (value: unknown) => typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value));

  // The originals, read with Reflect.get so that they are typed as what they are: methods called with the socket or server as `this`.
  const listen = Reflect.get(net.Server.prototype, 'listen') as (this: net.Server, ...args: unknown[]) => net.Server;
  net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
    const [first] = args;
    if (args.length === 0 || typeof first === 'function') args.unshift(0, ip);
    else if (isPortArgument(first)) {
      if (typeof args[1] === 'string') args[1] = listenHost(args[1]);
      else args.splice(1, 0, ip);
    } else if (first && typeof first === 'object' && !('_handle' in first) && !('fd' in first) && !('path' in first && (first as { path?: unknown }).path)) {
      args[0] = { ...first, host: listenHost((first as { host?: unknown }).host) };
    }
    return listen.apply(this, args);
  } as typeof net.Server.prototype.listen;

  // Literal loopback addresses skip DNS, so connect() maps them itself; names go through lookup.
  const connect = Reflect.get(net.Socket.prototype, 'connect') as (this: net.Socket, ...args: unknown[]) => net.Socket;
  /** A literal address as the pod sees it: its loopback is the pod IP, a Service's clusterIP its proxy. */
  const mapAddress = (host: string): string | undefined => (LOCAL_HOSTS.has(host) ? ip : isIP(host) ? table()[host] : undefined);
  const mapConnectOptions = (options: Record<string, unknown>) => {
    const mapped = typeof options.host === 'string' ? mapAddress(options.host) : undefined;
    return mapped ? { ...options, host: mapped } : options;
  };
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const [first] = args;
    if (Array.isArray(first) && first[0] && typeof first[0] === 'object') {
      first[0] = mapConnectOptions(first[0] as Record<string, unknown>); // net.connect() passes pre-normalised args
    } else if (isPortArgument(first) && typeof args[1] === 'string' && mapAddress(args[1])) {
      args[1] = mapAddress(args[1]);
    } else if (first && typeof first === 'object' && !Array.isArray(first)) {
      args[0] = mapConnectOptions(first as Record<string, unknown>);
    }
    return connect.apply(this, args);
  };

  type LookupCallback = (error: Error | null, address: string | dns.LookupAddress[], family?: number) => void;
  const lookup = dns.lookup;
  dns.lookup = function (hostname: string, ...rest: unknown[]) {
    const address = typeof hostname === 'string' ? podAddress(hostname) : undefined;
    if (!address) return (lookup as (...a: unknown[]) => void).apply(dns, [hostname, ...rest]);
    const [options, callback] = rest;
    const done = (typeof options === 'function' ? options : callback) as LookupCallback;
    const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
    process.nextTick(() => (all ? done(null, [{ address, family: 4 }]) : done(null, address, 4)));
  } as typeof dns.lookup;

  const lookupPromise = dns.promises.lookup;
  dns.promises.lookup = async function (hostname: string, options?: unknown) {
    const address = podAddress(hostname);
    if (!address) return (lookupPromise as (...a: unknown[]) => Promise<unknown>)(hostname, options);
    const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
    return all ? [{ address, family: 4 }] : { address, family: 4 };
  } as typeof dns.promises.lookup;

  // A container's hostname is its pod's name (the kubelet sets HOSTNAME to it too).
  const hostname = process.env.HOSTNAME;
  if (hostname) os.hostname = () => hostname;

  syncBuiltinESMExports();
}
