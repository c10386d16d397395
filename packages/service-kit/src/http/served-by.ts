import { hostname } from 'node:os';

/** Response header naming who answered, so the storefront can show "served by" badges. */
export const SERVED_BY_HEADER = 'x-ffk-served-by';

/** The pod name in Kubernetes (POD_NAME via fieldRef), else `local (<hostname>)` on a developer's machine. */
export function servedBy(podName?: string): string {
  return podName || `local (${hostname()})`;
}
