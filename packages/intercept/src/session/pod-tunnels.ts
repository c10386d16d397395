// One connector per Ready agent pod (with several replicas, the Service spreads requests over
// all of them, so each agent must know the intercept). Pods are re-resolved every few seconds:
// a new pod gets a tunnel, a pod that went away loses its own.
import { EventEmitter } from 'node:events';
import { type ClusterAccess, nameOf, openPortForward, resolveReadyPods } from '@ffk/cluster';
import { Connector, ConnectorRefusedError, type ConnectorState } from '../connector/connector';
import type { RoutedRequest } from '../connector/deliver-http';
import type { InterceptSpec } from '../tunnel/protocol';

export interface PodTunnelsOptions {
  access: ClusterAccess;
  selector: Record<string, string>;
  tunnelPort: number;
  token: string;
  intercept: InterceptSpec;
  localPort: number;
  owner?: string;
  /** how often the pod list is re-read (default 2 s) */
  resyncMs?: number;
}

export interface PodTunnelsEvents {
  state: [pod: string, state: ConnectorState];
  request: [pod: string, request: RoutedRequest];
  /** the agent in this pod dropped this many more mirrored copies */
  dropped: [pod: string, count: number];
  'pod-added': [pod: string];
  'pod-removed': [pod: string];
  error: [error: Error];
}

export class PodTunnels extends EventEmitter<PodTunnelsEvents> {
  readonly connectors = new Map<string, Connector>();
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly options: PodTunnelsOptions) {
    super();
  }

  /** Tunnels to every Ready pod, active within timeoutMs; a refusal (token, conflict) is thrown as is. */
  async start(timeoutMs: number): Promise<string[]> {
    const pods = await this.readyPods();
    if (pods.length === 0) throw new Error('no Ready pod with the agent');
    const started = pods.map((pod) => this.add(pod));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const waiting = pods.filter((pod) => this.connectors.get(pod)?.state.state !== 'active');
        const reasons = waiting.map((pod) => {
          const state = this.connectors.get(pod)?.state;
          return `${pod}${state?.state === 'reconnecting' ? `: ${state.reason}` : ''}`;
        });
        reject(new TunnelUnreachableError(reasons.join('; '), this.options.tunnelPort));
      }, timeoutMs);
    });
    try {
      await Promise.race([Promise.all(started), timeout]);
    } finally {
      clearTimeout(timer);
    }
    this.timer = setInterval(() => void this.resync(), this.options.resyncMs ?? 2000);
    this.timer.unref();
    return pods;
  }

  get stats() {
    const all = [...this.connectors.values()].map((c) => c.stats);
    return {
      routed: all.reduce((n, s) => n + s.routed, 0),
      failed: all.reduce((n, s) => n + s.failed, 0),
      reconnects: all.reduce((n, s) => n + s.reconnects, 0),
      connections: all.reduce((n, s) => n + s.connections, 0),
      dropped: all.reduce((n, s) => n + s.dropped, 0),
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.all([...this.connectors.values()].map((c) => c.stop()));
  }

  private async readyPods(): Promise<string[]> {
    const { kc, target } = this.options.access;
    return (await resolveReadyPods(kc, target.namespace, this.options.selector)).map(nameOf);
  }

  private add(pod: string): Promise<unknown> {
    const { access, tunnelPort } = this.options;
    const connector = new Connector({
      openStream: () => openPortForward(access.kc, access.target.namespace, pod, tunnelPort),
      token: this.options.token,
      intercept: this.options.intercept,
      localPort: this.options.localPort,
      owner: this.options.owner,
    });
    this.connectors.set(pod, connector);
    connector.on('state', (state) => this.emit('state', pod, state));
    connector.on('request', (request) => this.emit('request', pod, request));
    connector.on('dropped', (count) => this.emit('dropped', pod, count));
    this.emit('pod-added', pod);
    return connector.start();
  }

  private async resync(): Promise<void> {
    if (this.stopped) return;
    let pods: string[];
    try {
      pods = await this.readyPods();
    } catch {
      return; // the API server is briefly away: the tunnels themselves keep trying
    }
    if (this.stopped) return;
    for (const pod of pods) {
      if (!this.connectors.has(pod)) {
        this.add(pod).catch((error: unknown) =>
          this.emit('error', error instanceof ConnectorRefusedError ? error : new Error(`pod ${pod}: ${(error as Error).message}`)),
        );
      }
    }
    for (const [pod, connector] of this.connectors) {
      if (pods.includes(pod)) continue;
      this.connectors.delete(pod);
      this.emit('pod-removed', pod);
      void connector.stop();
    }
  }
}

/** The first tunnels did not become active in time: which pods, and why if known. */
export class TunnelUnreachableError extends Error {
  constructor(
    message: string,
    readonly tunnelPort: number,
  ) {
    super(message);
  }
}
