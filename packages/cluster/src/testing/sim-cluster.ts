// Test support: a kube-sim instance per test file, seen through our own kubeconfig loader.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSim } from '@ffk/kube-sim';
import { AppsV1Api, CoreV1Api, type V1Deployment } from '@kubernetes/client-node';
import { type LoadedKubeconfig, loadKubeconfig } from '../kubeconfig/load';

export interface SimCluster {
  kubeconfigPath: string;
  /** The sim's context, in `namespace` (created on first use). */
  in(namespace: string): Promise<LoadedKubeconfig>;
  kubectl(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/**
 * `runtime: false` (the default here): API server and workload controllers only; tests write pod
 * status as a kubelet would. `runtime: true`: pods run as processes, image ffk/tcp-pod being
 * ./tcp-pod.ts; no node ports are bound (parallel test files would fight over :8080).
 */
export async function startSimCluster(options: { runtime?: boolean } = {}): Promise<SimCluster> {
  const scratch = mkdtempSync(join(tmpdir(), 'ffk-cluster-sim-'));
  const runtime = options.runtime ? { imageMap: testImageMap(scratch), nodePorts: {} } : (false as const);
  const sim = await startSim({ runtime });
  const namespaces = new Set<string>(['default']);
  const kubectl = (...args: string[]) =>
    new Promise<string>((resolve, reject) => {
      execFile('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], (error, stdout, stderr) =>
        error ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout),
      );
    });
  return {
    kubeconfigPath: sim.kubeconfigPath,
    kubectl,
    async in(namespace) {
      const loaded = loadKubeconfig({ kubeconfig: sim.kubeconfigPath, namespace });
      if (!namespaces.has(namespace)) {
        await loaded.kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
        namespaces.add(namespace);
      }
      return loaded;
    },
    async stop() {
      await sim.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** A minimal Deployment (one container, app=<name>); image ffk/tcp-pod runs testing/tcp-pod.ts. */
export function deployment(
  name: string,
  options: { replicas?: number; image?: string; env?: Record<string, string>; progressDeadlineSeconds?: number } = {},
): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: options.replicas ?? 1,
      progressDeadlineSeconds: options.progressDeadlineSeconds,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name,
              image: options.image ?? `ffk/${name}:1`,
              env: [
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                ...Object.entries(options.env ?? {}).map(([k, value]) => ({ name: k, value })),
              ],
              readinessProbe: { tcpSocket: { port: 7001 }, periodSeconds: 1 },
            },
          ],
        },
      },
    },
  };
}

export async function createDeployments(cluster: LoadedKubeconfig, ...items: V1Deployment[]): Promise<void> {
  const api = cluster.kc.makeApiClient(AppsV1Api);
  for (const body of items) await api.createNamespacedDeployment({ namespace: cluster.target.namespace, body });
}

/** An image map with the test container only (see tcp-pod.ts). */
function testImageMap(dir: string): string {
  const file = join(dir, 'images.yaml');
  const root = dirname(fileURLToPath(import.meta.url));
  writeFileSync(file, `root: ${root}\nimages:\n  ffk/tcp-pod: { node: tcp-pod.ts }\n`);
  return file;
}
