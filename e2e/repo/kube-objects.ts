// The slice of Kubernetes object shapes the manifest checks read, and `kubectl kustomize` output.
import { execFileAsync, parseYamlDocuments, repoPath } from './repo-files';

export interface Probe {
  httpGet?: { path: string; port: number | string };
  tcpSocket?: { port: number | string };
  exec?: { command: string[] };
}
export interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
}
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } };
}
export interface Container {
  name: string;
  image: string;
  imagePullPolicy?: string;
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: SecurityContext;
}
export interface PodSpec {
  securityContext?: SecurityContext;
  containers: Container[];
  initContainers?: Container[];
}
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: {
    template?: { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
    selector?: Record<string, string> | { matchLabels?: Record<string, string> };
    type?: string;
    ports?: { name?: string; port: number; targetPort?: number | string; nodePort?: number }[];
  };
  stringData?: Record<string, string>;
  data?: Record<string, string>;
}

export const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** `kubectl kustomize <dir>` parsed into objects (kubectl runs no cluster call for this). */
export async function kustomize(dir: string): Promise<KubeObject[]> {
  const { stdout } = await execFileAsync('kubectl', ['kustomize', repoPath(dir)], { maxBuffer: 16 * 1024 * 1024 });
  return parseYamlDocuments(stdout, `kubectl kustomize ${dir}`) as KubeObject[];
}

export interface ContainerRef {
  workload: KubeObject;
  pod: PodSpec;
  container: Container;
  /** "Deployment/catalog container catalog": how a failure names it. */
  label: string;
}

export function workloadContainers(objects: KubeObject[]): ContainerRef[] {
  return objects
    .filter((object) => WORKLOAD_KINDS.has(object.kind))
    .flatMap((workload) => {
      const pod = workload.spec?.template?.spec;
      if (!pod) throw new Error(`${workload.kind}/${workload.metadata.name} has no pod template`);
      return [...(pod.initContainers ?? []), ...pod.containers].map((container) => ({
        workload,
        pod,
        container,
        label: `${workload.kind}/${workload.metadata.name} container ${container.name}`,
      }));
    });
}

export function envOf(ref: ContainerRef, name: string): EnvVar | undefined {
  return ref.container.env?.find((variable) => variable.name === name);
}
