// The kubelet's restart back-off for a crashing container (pkg/kubelet/kuberuntime, flowcontrol
// Backoff): the first restart is immediate; each later one waits until `delay` after the previous
// start, the delay doubling from 10 s up to 5 min, and forgotten after a long healthy run.
export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  resetAfterMs?: number;
}

export class RestartBackoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly resetAfterMs: number;
  private delayMs = 0;
  private lastStart = Number.NEGATIVE_INFINITY;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 10_000;
    this.maxMs = options.maxMs ?? 300_000;
    this.resetAfterMs = options.resetAfterMs ?? 600_000;
  }

  /** How long to wait, from `now`, before restarting a container that has just exited. */
  waitBeforeRestart(now: number): number {
    if (now - this.lastStart >= this.resetAfterMs) this.delayMs = 0;
    return Math.max(0, this.lastStart + this.delayMs - now);
  }

  /** The current back-off window, as the CrashLoopBackOff message shows it. */
  get currentDelayMs(): number {
    return this.delayMs;
  }

  /** Records a restart at `now`, widening the window for the next one. */
  restarted(now: number): void {
    this.delayMs = this.delayMs === 0 ? this.initialMs : Math.min(this.delayMs * 2, this.maxMs);
    this.lastStart = now;
  }
}
