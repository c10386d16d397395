// Argo CD and Flux put these on what they manage; a sync may undo the agent install.
import type { V1Deployment } from '@kubernetes/client-node';

const MARKERS: [RegExp, string][] = [
  [/^argocd\.argoproj\.io\//, 'Argo CD'],
  [/^kustomize\.toolkit\.fluxcd\.io\//, 'Flux'],
  [/^helm\.toolkit\.fluxcd\.io\//, 'Flux'],
];

/** "Argo CD (annotation argocd.argoproj.io/tracking-id)", or undefined. */
export function gitOpsManager(deployment: V1Deployment): string | undefined {
  const keys = [
    ...Object.keys(deployment.metadata?.labels ?? {}).map((k) => ['label', k] as const),
    ...Object.keys(deployment.metadata?.annotations ?? {}).map((k) => ['annotation', k] as const),
  ];
  for (const [kind, key] of keys) {
    const match = MARKERS.find(([pattern]) => pattern.test(key));
    if (match) return `${match[1]} (${kind} ${key})`;
  }
  return undefined;
}
