// The arithmetic of a rolling update (pkg/controller/deployment/util): maxSurge rounds up,
// maxUnavailable rounds down, and both zero means one may be unavailable.
import type { Deployment, IntOrString } from '../runtime/kube-types';

function scaled(value: IntOrString | undefined, fallback: string, total: number, roundUp: boolean): number {
  const v = value ?? fallback;
  if (typeof v === 'number') return v;
  const percent = /^(\d+)%$/.exec(v);
  if (!percent) return Number(v) || 0;
  const exact = (Number(percent[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export function surgeAndUnavailable(deployment: Deployment): { maxSurge: number; maxUnavailable: number } {
  const replicas = deployment.spec.replicas ?? 1;
  if (deployment.spec.strategy?.type === 'Recreate') return { maxSurge: 0, maxUnavailable: replicas };
  const rolling = deployment.spec.strategy?.rollingUpdate;
  const maxSurge = scaled(rolling?.maxSurge, '25%', replicas, true);
  const maxUnavailable = scaled(rolling?.maxUnavailable, '25%', replicas, false);
  return { maxSurge, maxUnavailable: maxSurge === 0 && maxUnavailable === 0 ? 1 : maxUnavailable };
}
