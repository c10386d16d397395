import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterError, isClusterError } from '../errors/cluster-error';
import { nameOf } from '../workloads/name-of';
import { type CloseCause, openPortForward, type PortForwardStream } from './duplex';
import { newestReadyPod, type PodSelector } from './ready-pods';

export type PortForwardEvent =
  | { type: 'connected'; pod: string; ms: number }
  | { type: 'pod-changed'; from: string; to: string }
  | { type: 'dropped'; pod: string; cause: CloseCause; reason?: string }
  | { type: 'retrying'; attempt: number; delayMs: number; reason: string };

export interface ReconnectingPortForwardOptions {
  namespace: string;
  selector: PodSelector;
  port: number;
  /** First retry delay, doubled per consecutive failure up to maxDelayMs (defaults 250 ms and 5 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /**
   * One open() stops retrying after this long and throws the last error (default: keeps trying
   * until aborted). It always makes one attempt: 0 means exactly one, for callers that have
   * their own backoff, like the intercept connector.
   */
  giveUpAfterMs?: number;
  signal?: AbortSignal;
  onEvent?: (event: PortForwardEvent) => void;
}

// A stream that lived shorter than this counts as a failure for the backoff (pod dying, port closed).
const HEALTHY_MS = 2000;
// Retrying cannot fix these; they need the user.
const FATAL = ['unauthorized', 'forbidden', 'kubeconfig'] as const;

/**
 * A function returning a fresh Duplex to the newest Ready pod's port on every call, as the
 * intercept connector wants: each call re-resolves the pod (so a rollout or a deleted pod
 * moves the tunnel to the new one), retries with exponential backoff while there is no
 * Ready pod or the API server is unreachable, and reports connects, pod changes, drops and retries.
 */
export function reconnectingPortForward(kc: KubeConfig, options: ReconnectingPortForwardOptions): () => Promise<PortForwardStream> {
  const initial = options.initialDelayMs ?? 250;
  const max = options.maxDelayMs ?? 5000;
  const emit = (event: PortForwardEvent) => options.onEvent?.(event);
  let failures = 0;
  let lastPod: string | undefined;
  let lastReason = '';

  async function attempt(): Promise<PortForwardStream> {
    const started = performance.now();
    const pod = await newestReadyPod(kc, options.namespace, options.selector);
    const name = nameOf(pod);
    const stream = await openPortForward(kc, options.namespace, name, options.port);
    if (lastPod && lastPod !== name) emit({ type: 'pod-changed', from: lastPod, to: name });
    lastPod = name;
    emit({ type: 'connected', pod: name, ms: Math.round(performance.now() - started) });
    let reason: string | undefined;
    stream.once('error', (error) => (reason = error.message));
    stream.once('close', () => {
      if (stream.closeCause === 'local') return;
      const lived = performance.now() - started;
      failures = lived < HEALTHY_MS ? failures + 1 : 0;
      lastReason = reason ?? `pod ${name} closed the connection`;
      emit({ type: 'dropped', pod: name, cause: stream.closeCause ?? 'remote', reason });
    });
    return stream;
  }

  return async function open(): Promise<PortForwardStream> {
    const deadline = performance.now() + (options.giveUpAfterMs ?? Infinity);
    let lastError: unknown;
    for (let attempted = false; ; attempted = true) {
      if (failures > 0) {
        const delayMs = Math.min(max, initial * 2 ** (failures - 1));
        const inTime = performance.now() + delayMs <= deadline;
        if (attempted && !inTime) throw lastError;
        if (inTime) {
          emit({ type: 'retrying', attempt: failures, delayMs, reason: lastReason });
          await sleep(delayMs, undefined, { signal: options.signal }).catch(() => {
            throw new ClusterError('port-forward', `stopped connecting to port ${options.port} in "${options.namespace}"`);
          });
        }
      }
      try {
        return await attempt();
      } catch (error) {
        if (FATAL.some((kind) => isClusterError(error, kind)) || !isClusterError(error)) throw error;
        failures++;
        lastError = error;
        lastReason = error.message;
      }
    }
  };
}
