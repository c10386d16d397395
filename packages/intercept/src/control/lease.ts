// The lease: an annotation on the Deployment that says until when someone still uses the agent.
// An intercept renews it; `ffk gc` removes agents whose lease has expired (a laptop that crashed
// or closed its lid leaves only a passthrough sidecar, and gc takes that away later).
import { hostname, userInfo } from 'node:os';
import { type ClusterAccess, readDeployment } from '@ffk/cluster';
import type { V1Deployment } from '@kubernetes/client-node';
import { ANNOTATION } from './annotations';
import { patchDeployment, withFreshRead } from './patch';
import { annotationOps, leaseAnnotations, type LeaseValue, resourceVersionTest } from './plan';

/** 15 minutes: long enough for a laptop's hiccup, short enough that gc cleans up the same day. */
export const DEFAULT_LEASE_SECONDS = 900;

export function defaultHolder(): string {
  let user = 'someone';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (some containers): keep the placeholder
  }
  return `${user}@${hostname()}`;
}

export function leaseFor(seconds: number, holder = defaultHolder(), now = new Date()): LeaseValue {
  return { expires: new Date(now.getTime() + seconds * 1000), holder };
}

/** The lease as recorded; a date that does not parse (edited by hand) counts as no lease. */
export function leaseOf(deployment: V1Deployment): { expires?: Date; holder?: string } {
  const annotations = deployment.metadata?.annotations ?? {};
  const raw = annotations[ANNOTATION.leaseExpires];
  const expires = typeof raw === 'string' ? new Date(raw) : undefined;
  const holder = annotations[ANNOTATION.leaseHolder];
  return { expires: expires && !Number.isNaN(expires.getTime()) ? expires : undefined, holder: typeof holder === 'string' ? holder : undefined };
}

/** Extends the lease to at least `lease.expires` (a teammate's longer lease is kept). */
export async function renewLease(access: ClusterAccess, name: string, lease: LeaseValue): Promise<void> {
  await withFreshRead(async () => {
    const deployment = await readDeployment(access, name);
    const current = leaseOf(deployment).expires;
    const expires = current && current > lease.expires ? current : lease.expires;
    await patchDeployment(access, name, [
      resourceVersionTest(deployment),
      ...annotationOps(deployment.metadata?.annotations, leaseAnnotations({ expires, holder: lease.holder })),
    ]);
  });
}

export interface LeaseRenewal {
  stop(): void;
}

/** Renews every third of the lease while an intercept runs; failures are reported, not fatal. */
export function keepLease(
  access: ClusterAccess,
  name: string,
  options: { seconds: number; holder?: string; onError?: (error: unknown) => void },
): LeaseRenewal {
  const renew = () => renewLease(access, name, leaseFor(options.seconds, options.holder)).catch((error: unknown) => options.onError?.(error));
  const timer = setInterval(() => void renew(), Math.max(1000, (options.seconds * 1000) / 3));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
