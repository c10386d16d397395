// Test support: a kube-sim with pods running, where the official Node image runs the agent from its
// ConfigMap as in a cluster (also as the mirror mirror.example/library/node), ffk/test-app is ./pod-app.ts, ffk/test-grpc
// ./grpc-pod-app.ts; kubectl and a ClusterAccess per namespace.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type ClusterAccess, loadKubeconfig } from '@ffk/cluster';
import { type ObjectStore, startSim } from '@ffk/kube-sim';
import { defined } from '@ffk/test-kit/defined';
import type { V1Container, V1Deployment } from '@kubernetes/client-node';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));

export interface ControlSim {
  kubeconfigPath: string;
  /** The simulator's object store: a test acts there as another client would, inside a write. */
  store: ObjectStore;
  access(namespace?: string): ClusterAccess;
  kubectl(...args: string[]): Promise<string>;
  /** kubectl apply -f - with this YAML */
  apply(yaml: string): Promise<void>;
  /** kubectl get -o json, as the shape the test declares (a client-node type such as V1Deployment) */
  getJson<T>(kind: string, name: string, namespace?: string): Promise<T>;
  stop(): Promise<void>;
}

/** `pods: false`: the API server only (for tests that read and write objects, nothing runs). */
export async function startControlSim(options: { pods?: boolean } = {}): Promise<ControlSim> {
  const scratch = mkdtempSync(join(tmpdir(), 'ffk-control-'));
  const imageMap = join(scratch, 'images.yaml');
  writeFileSync(
    imageMap,
    `root: ${here}\nimages:\n  node: { builtin: node }\n  mirror.example/library/node: { builtin: node }\n  ffk/test-app: { node: pod-app.ts }\n  ffk/test-grpc: { node: grpc-pod-app.ts }\n`,
  );
  // No node ports: parallel test files would fight over the host ports.
  const sim = await startSim({ runtime: options.pods === false ? false : { imageMap, nodePorts: {} } });
  const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], { encoding: 'utf8' })).stdout;
  return {
    kubeconfigPath: sim.kubeconfigPath,
    store: sim.store,
    access: (namespace) => loadKubeconfig({ kubeconfig: sim.kubeconfigPath, namespace }),
    kubectl,
    async apply(yaml) {
      const file = join(scratch, `manifest-${Date.now()}-${Math.random().toString(36).slice(2)}.yaml`);
      writeFileSync(file, yaml);
      await kubectl('apply', '-f', file);
    },
    async getJson<T>(kind: string, name: string, namespace = 'default') {
      return JSON.parse(await kubectl('get', kind, name, '-n', namespace, '-o', 'json')) as T;
    },
    async stop() {
      await sim.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** The pod template's containers of a Deployment read with getJson. */
export function containersOf(deployment: V1Deployment): V1Container[] {
  return defined(deployment.spec?.template.spec?.containers, `the containers of deployment ${deployment.metadata?.name}`);
}

/** A Deployment of ffk/test-app with its Service; `targetPort` picks named or numeric. */
export function appManifest(name: string, options: { portName?: string; targetPort?: string | number; probeOnName?: boolean; replicas?: number } = {}): string {
  const portName = options.portName;
  const probePort = options.probeOnName && portName ? portName : 3000;
  return `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: { app: ${name} }
spec:
  replicas: ${options.replicas ?? 1}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      terminationGracePeriodSeconds: 2
      containers:
        - name: app
          image: ffk/test-app:1
          imagePullPolicy: IfNotPresent
          ports: [{ ${portName ? `name: ${portName}, ` : ''}containerPort: 3000 }]
          env:
            - { name: PORT, value: "3000" }
            - { name: POD_NAME, valueFrom: { fieldRef: { fieldPath: metadata.name } } }
          readinessProbe: { tcpSocket: { port: ${probePort} }, periodSeconds: 1 }
---
apiVersion: v1
kind: Service
metadata: { name: ${name} }
spec:
  selector: { app: ${name} }
  ports: [{ name: web, port: 80, targetPort: ${options.targetPort ?? portName ?? 3000} }]
`;
}
/** The developer's process an intercept routes to: answers `laptop <path>` on 127.0.0.1. */
export async function startLaptopServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => res.end(`laptop ${req.url}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Applies appManifest(name, options) and waits for its rollout. */
export async function deployApp(sim: ControlSim, name: string, options: Parameters<typeof appManifest>[1] = {}): Promise<void> {
  await sim.apply(appManifest(name, options));
  await sim.kubectl('rollout', 'status', `deployment/${name}`, '--timeout=60s');
}
export { getOver } from './http-over';
