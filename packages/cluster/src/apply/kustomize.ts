import { execFile } from 'node:child_process';
import { ClusterError } from '../errors/cluster-error';
import { type Manifest, parseManifests } from './manifests';

/**
 * Renders a kustomization with `kubectl kustomize` (kustomize is built into kubectl, which every
 * learner and CI machine has). Rendering is offline: it never reads the kubeconfig, so the
 * context guard stays the only thing that decides where the result goes.
 */
export async function renderKustomize(directory: string, options: { kubectl?: string } = {}): Promise<Manifest[]> {
  const kubectl = options.kubectl ?? 'kubectl';
  const yaml = await new Promise<string>((resolve, reject) => {
    execFile(kubectl, ['kustomize', directory], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return reject(
          new ClusterError('kustomize', `${kubectl} is not installed (needed to render ${directory}): install kubectl 1.27 or newer`, { cause: error }),
        );
      }
      const reason =
        stderr
          .trim()
          .split('\n')
          .find(Boolean)
          ?.replace(/^error:\s*/, '') ?? `exit ${error.code}`;
      reject(new ClusterError('kustomize', `kubectl kustomize ${directory} failed: ${reason}`, { cause: error }));
    });
  });
  return parseManifests(yaml, `kustomize ${directory}`);
}
