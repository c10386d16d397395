// Part 2 of the simulator: what makes pods run. Wires the workload controllers, the scheduler,
// the kubelet, the endpoints controller and kube-proxy onto the API server's store, and serves
// pods/log and pods/portforward on its router.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Controller } from '../controllers/controller';
import { schedulerController } from '../controllers/scheduler';
import type { Router } from '../http/router';
import { claimAddressBlock } from '../network/addresses';
import { endpointsController } from '../network/endpoints-controller';
import { kubeProxy } from '../network/kube-proxy';
import { ServiceNetwork } from '../network/service-network';
import type { ObjectStore } from '../registry/object-store';
import { remoteCommandHandler } from '../streams/exec/handler';
import type { ForwardingTracker } from '../streams/forwarding';
import { podLogsHandler } from '../streams/pod-logs';
import { portForwardHandler } from '../streams/port-forward';
import type { BackoffOptions } from './backoff';
import { DockerRuntime, makeShareDir } from './containers/docker-runtime';
import type { EnvSources } from './env';
import { EventRecorder } from './events';
import { DEFAULT_IMAGE_MAP, loadImageMap } from './images';
import type { Service } from './kube-types';
import { Kubelet } from './kubelet';
import { PodVolumes } from './pod-volumes';
import { NAMES_FILE } from './processes';

export interface RuntimeOptions {
  /** Image -> process mapping. Default: k8s/overlays/sim/images.yaml. */
  imageMap?: string;
  /**
   * nodePort -> host port on 127.0.0.1 (0 = any free port; see `nodePorts` on the result).
   * Default: $KUBE_SIM_NODE_PORTS (`30080=8080,30081=0`), else kind's extraPortMappings from
   * k8s/kind/cluster.yaml (30080 -> 8080).
   */
  nodePorts?: Record<number, number>;
  /** CrashLoopBackOff timing (default 10 s doubling to 5 min, as the kubelet). */
  backoff?: BackoffOptions;
  /** Run containers whose image the local Docker engine has from that image (default true); `false`: every container is a process. */
  containers?: boolean;
  /** Upper bound on each pod's grace period when the simulator stops. Default 10 s. */
  shutdownGraceSeconds?: number;
  /** Where warnings go (a node port in use…). Default: stderr. */
  warn?: (line: string) => void;
}

export interface RuntimeHost {
  store: ObjectStore;
  router: Router;
  addController(controller: Controller): void;
  stateDir: string;
  url: string;
}

export interface ClusterRuntime {
  kubelet: Kubelet;
  /** Containers from local Docker images; undefined when switched off or the engine is not on a unix socket. */
  docker: DockerRuntime | undefined;
  network: ServiceNetwork;
  /** nodePort -> the host port it answers on. */
  nodePorts: ReadonlyMap<number, number>;
  /** What port-forwards have open (SPDY sessions, pod connections): empty once every client is gone. */
  portForwards: ForwardingTracker;
  stop(): Promise<void>;
}

const KIND_CLUSTER = fileURLToPath(new URL('../../../../k8s/kind/cluster.yaml', import.meta.url));

export const NODE_PORTS_ENV = 'KUBE_SIM_NODE_PORTS';

/** `30080=8080,30081=0` -> { 30080: 8080, 30081: 0 }; one clear error for anything else. */
export function parseNodePorts(text: string): Record<number, number> {
  return Object.fromEntries(
    text
      .split(',')
      .filter(Boolean)
      .map((pair) => {
        const match = /^\s*(\d+)\s*=\s*(\d+)\s*$/.exec(pair);
        if (!match) throw new Error(`${NODE_PORTS_ENV}: "${pair}" is not <nodePort>=<hostPort> (e.g. 30080=8080)`);
        return [Number(match[1]), Number(match[2])];
      }),
  );
}

/** kind's extraPortMappings (containerPort = the node port, hostPort on the laptop). */
export function kindNodePorts(file = KIND_CLUSTER): Record<number, number> {
  if (!existsSync(file)) return { 30080: 8080 };
  const cluster = parse(readFileSync(file, 'utf8')) as { nodes?: { extraPortMappings?: { containerPort: number; hostPort: number }[] }[] };
  const mappings = (cluster.nodes ?? []).flatMap((node) => node.extraPortMappings ?? []);
  return Object.fromEntries(mappings.map((m) => [m.containerPort, m.hostPort]));
}

export function startRuntime(host: RuntimeHost, options: RuntimeOptions = {}): ClusterRuntime {
  const { store, router } = host;
  const warn = options.warn ?? ((line: string) => process.stderr.write(`kube-sim: ${line}\n`));
  const images = loadImageMap(options.imageMap ?? DEFAULT_IMAGE_MAP);
  const block = claimAddressBlock();
  const namesFile = join(host.stateDir, NAMES_FILE);
  const shareDir = makeShareDir(namesFile);
  const docker = options.containers === false ? undefined : DockerRuntime.create(shareDir);
  const fromEnv = process.env[NODE_PORTS_ENV];
  const nodePorts = options.nodePorts ?? (fromEnv ? parseNodePorts(fromEnv) : kindNodePorts());
  const network = new ServiceNetwork({ block, namesFile, nodePorts, warn });

  const envSources: EnvSources = {
    configMap: (namespace, name) => store.find('configmaps', namespace, name),
    secret: (namespace, name) => store.find('secrets', namespace, name),
    services: (namespace) =>
      (store.list('services', { namespace }).items as unknown as Service[]).map((service) => ({
        service,
        address: network.addressOf(namespace, service.metadata.name ?? '') ?? service.spec.clusterIP ?? '',
      })),
  };
  const kubelet = new Kubelet(store, {
    images,
    docker,
    volumes: new PodVolumes(join(host.stateDir, 'pod-volumes')),
    block,
    namesFile,
    envSources,
    events: new EventRecorder(store, 'kubelet'),
    backoff: options.backoff,
    onTerminating: (ip) => network.drainPod(ip),
  });
  // The Deployment and ReplicaSet controllers run with the API server (controllers/builtin.ts).
  host.addController(kubeProxy(network, warn));
  host.addController(endpointsController);
  host.addController(schedulerController);
  kubelet.start();

  // The `kubernetes` Service reaches the API server itself, as its endpoints do in a cluster.
  const apiPort = Number(new URL(host.url).port);
  if (!store.find('endpoints', 'default', 'kubernetes')) {
    store.create('endpoints', {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'kubernetes', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: apiPort, protocol: 'TCP' }] }],
    });
  }

  router.addSubresource(
    'pods',
    'log',
    podLogsHandler((namespace, name) => kubelet.worker(namespace, name)),
  );
  router.addSubresource(
    'pods',
    'exec',
    remoteCommandHandler('exec', (namespace, name) => kubelet.worker(namespace, name)),
  );
  router.addSubresource(
    'pods',
    'attach',
    remoteCommandHandler('attach', (namespace, name) => kubelet.worker(namespace, name)),
  );
  const portForward = portForwardHandler();
  router.addSubresource('pods', 'portforward', portForward);

  return {
    kubelet,
    docker,
    network,
    nodePorts: network.boundNodePorts,
    portForwards: portForward.tracker,
    async stop() {
      // A kubectl port-forward holds its connection open; GOAWAY ends it so the server can close.
      for (const session of portForward.tracker.sessions) session.close();
      await kubelet.shutdown(options.shutdownGraceSeconds ?? 10);
      docker?.close();
      await network.close();
      block.close();
    },
  };
}
