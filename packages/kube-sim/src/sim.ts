// startSim(): one simulated API server on its own free loopback port and state directory.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBootstrapPolicy } from './auth/bootstrap-policy';
import { resolveUsers, type SimUser } from './auth/users';
import { builtinControllers } from './controllers/builtin';
import type { Controller } from './controllers/controller';
import { createApiServer } from './http/api-server';
import type { Router } from './http/router';
import { userKubeconfigPath, writeKubeconfig } from './kubeconfig';
import { ObjectStore } from './registry/object-store';
import { type ClusterRuntime, type RuntimeOptions, startRuntime } from './runtime/cluster-runtime';
import { loadOrCreateCertificate } from './tls/certificate';

export interface SimOptions {
  /** Where the kubeconfig and certificate go. Default: a new temporary directory, removed by stop(). */
  stateDir?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Default `ffk-sim`: the kubeconfig's context, cluster and user name. */
  context?: string;
  /** The admin's token (user `kubernetes-admin` in `system:masters`, allowed everything). Default: random. */
  token?: string;
  /** More users, each with its own token, held to RBAC (bind them to roles as in a real cluster). */
  users?: SimUser[];
  /** Changes kept for watches; older resourceVersions answer 410 Expired. Default 10,000. */
  historySize?: number;
  /** Interval of BOOKMARK events on watches that allow them. Default 10 s. */
  bookmarkIntervalMs?: number;
  /** Lifetime of watches that set no timeoutSeconds. Default: 30-60 min, as kube-apiserver. */
  watchTimeoutSeconds?: number;
  /** Pods as local processes, Services, logs, port-forward (src/runtime); `false`: API objects only. */
  runtime?: RuntimeOptions | false;
}

export interface Sim {
  url: string;
  kubeconfigPath: string;
  context: string;
  token: string;
  /** The extra users with their tokens and groups. */
  users: { name: string; token: string; groups: string[] }[];
  stateDir: string;
  /** Writes a kubeconfig for an extra user (context named like the admin's) and returns its path. */
  kubeconfigFor(user: string): string;
  /** The object store every request and controller goes through. */
  store: ObjectStore;
  /** Add subresources (pods/log, pods/portforward) and routes. */
  router: Router;
  /** Starts a controller now; stop() stops it. */
  addController(controller: Controller): void;
  /** The node side (kubelet, Service network); absent with `runtime: false`. */
  runtime?: ClusterRuntime;
  stop(): Promise<void>;
}

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function bootstrap(store: ObjectStore): void {
  for (const name of SYSTEM_NAMESPACES) store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  createBootstrapPolicy(store);
  store.create('services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
  });
}

export async function startSim(options: SimOptions = {}): Promise<Sim> {
  const ownsStateDir = !options.stateDir;
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'kube-sim-'));
  mkdirSync(stateDir, { recursive: true });
  const context = options.context ?? 'ffk-sim';
  const token = options.token ?? randomBytes(24).toString('hex');
  const users = resolveUsers(options.users ?? [], token);
  const certificate = await loadOrCreateCertificate(stateDir);

  const store = new ObjectStore({ historySize: options.historySize });
  const stops: (() => void)[] = [];
  const addController = (controller: Controller) => stops.push(controller.start(store));
  builtinControllers().forEach(addController);
  bootstrap(store);

  const { server, router, watches } = createApiServer(store, {
    token,
    users,
    certificate,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 10_000,
    watchTimeoutSeconds: options.watchTimeoutSeconds,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `https://127.0.0.1:${port}`;
  const kubeconfigPath = join(stateDir, 'kubeconfig');
  writeKubeconfig(kubeconfigPath, { context, server: url, token, caPem: certificate.certPem });
  const kubeconfigFor = (name: string) => {
    const user = users.find((u) => u.name === name);
    if (!user) throw new Error(`kube-sim: no user "${name}"; declare it in startSim({ users: [{ name: '${name}' }] })`);
    const path = userKubeconfigPath(stateDir, name);
    writeKubeconfig(path, { context, server: url, token: user.token, caPem: certificate.certPem, user: name });
    return path;
  };
  const runtime = options.runtime === false ? undefined : startRuntime({ store, router, addController, stateDir, url }, options.runtime);

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      await runtime?.stop();
      stops.forEach((s) => s());
      for (const res of watches.open) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownsStateDir) rmSync(stateDir, { recursive: true, force: true });
    })());

  return { url, kubeconfigPath, context, token, users, kubeconfigFor, stateDir, store, router, addController, runtime, stop };
}
