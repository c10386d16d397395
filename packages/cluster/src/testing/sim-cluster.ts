// Test support: a kube-sim instance per test file, seen through our own kubeconfig loader.
import { execFile } from 'node:child_process';
import { AppsV1Api, CoreV1Api, type V1Deployment } from '@kubernetes/client-node';
import { startSim } from '@ffk/kube-sim';
import { loadKubeconfig, type LoadedKubeconfig } from '../kubeconfig/load';

export interface SimCluster {
  kubeconfigPath: string;
  /** The sim's context, in `namespace` (created on first use). */
  in(namespace: string): Promise<LoadedKubeconfig>;
  kubectl(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

export async function startSimCluster(): Promise<SimCluster> {
  const sim = await startSim();
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
    stop: () => sim.stop(),
  };
}

/** A minimal Deployment (one container, app=<name>). */
export function deployment(name: string, options: { replicas?: number; image?: string; port?: number } = {}): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: options.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name, image: options.image ?? `ffk/${name}:1`, ports: options.port ? [{ name: 'http', containerPort: options.port }] : undefined }] },
      },
    },
  };
}

export async function createDeployments(cluster: LoadedKubeconfig, ...items: V1Deployment[]): Promise<void> {
  const api = cluster.kc.makeApiClient(AppsV1Api);
  for (const body of items) await api.createNamespacedDeployment({ namespace: cluster.target.namespace, body });
}
