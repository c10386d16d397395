// One developer's intercept of one Deployment, laptop side: the agent installed (or upgraded) and
// its lease kept, tunnels to every Ready agent pod, the imported environment. Each step checks
// the abort signal (Ctrl-C, `ffk leave`) when it ends; close() undoes whatever was started.
import { type ClusterAccess, readDeployment } from '@ffk/cluster';
import type { V1Deployment } from '@kubernetes/client-node';
import type { AgentPort } from '../agent/config';
import { DEFAULT_LEASE_SECONDS, ensureAgent, type InstalledAgent, keepLease, leaseFor, renewLease } from '../control/index';
import type { InterceptSpec } from '../tunnel/protocol';
import { type LocalEnvironment, prepareEnvironment } from './environment';
import { gitOpsManager } from './gitops';
import { ownerOf } from './owner';
import { PodTunnels } from './pod-tunnels';

export interface InterceptSessionOptions {
  access: ClusterAccess;
  deployment: string;
  intercept: InterceptSpec;
  localPort: number;
  /** Service port or container port (number or name) to take over */
  port?: string;
  image?: string;
  leaseSeconds?: number;
  owner?: string;
  /** how long the first tunnels may take to become active (default 20 s) */
  tunnelTimeoutMs?: number;
  /** aborted: the step under way ends with SessionInterrupted (its reason as message) */
  signal?: AbortSignal;
  /** what is happening and what is awaited */
  onProgress?: (message: string) => void;
  /** something the user should know that does not stop the intercept */
  onWarning?: (message: string) => void;
}

export interface AgentReady {
  installedNow: boolean;
  /** the older version this session replaced (one rollout) */
  upgradedFrom?: string;
  version?: string;
  image: string;
  ms: number;
}

export interface TunnelsReady {
  pods: string[];
  port: AgentPort;
  localPort: number;
  tunnelPort: number;
  selector: Record<string, string>;
  ms: number;
}

/** The session was aborted before it was active; everything it started is already undone. */
export class SessionInterrupted extends Error {}

export class InterceptSession {
  private deploymentObject?: V1Deployment;
  private installed?: InstalledAgent;
  private podTunnels?: PodTunnels;
  /** the first lease renewal of an agent that was there already, under way while the tunnels open */
  private leaseRenewed: Promise<void> = Promise.resolve();
  private readonly cleanups: (() => unknown)[] = [];
  /** who holds the intercept and the lease, as the cluster names the user; set by ensureAgent() */
  private owner?: string;

  constructor(private readonly options: InterceptSessionOptions) {}

  /** The agent as the Deployment runs it; set by ensureAgent(). */
  get agent(): InstalledAgent {
    if (!this.installed) throw new Error('ensureAgent() first');
    return this.installed;
  }

  get tunnels(): PodTunnels {
    if (!this.podTunnels) throw new Error('openTunnels() first');
    return this.podTunnels;
  }

  /** Installs (or upgrades) the agent unless there (one rollout), renews the lease and keeps renewing it. */
  async ensureAgent(): Promise<AgentReady> {
    const { access, deployment: name, onProgress, onWarning } = this.options;
    const leaseSeconds = this.options.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
    [this.deploymentObject, this.owner] = await Promise.all([readDeployment(access, name), this.options.owner ?? ownerOf(access)]);
    this.checkpoint();
    const gitops = gitOpsManager(this.deploymentObject);
    if (gitops) onWarning?.(`deployment ${name} looks managed by ${gitops}: a sync may remove the agent and end the intercept; pause auto-sync while you work`);
    const started = performance.now();
    this.installed = await ensureAgent(access, name, {
      port: this.options.port,
      image: this.options.image,
      leaseSeconds,
      holder: this.owner,
      onProgress,
      current: this.deploymentObject,
    });
    this.checkpoint();
    if (!this.installed.installedNow) {
      this.leaseRenewed = renewLease(access, name, leaseFor(leaseSeconds, this.owner));
      this.leaseRenewed.catch(() => undefined); // awaited (and thrown) by openTunnels()
    }
    const lease = keepLease(access, name, {
      seconds: leaseSeconds,
      holder: this.owner,
      onError: (e) => onWarning?.(`could not renew the lease: ${(e as Error).message}`),
    });
    this.cleanups.push(() => lease.stop());
    const { installedNow, upgradedFrom, record } = this.installed;
    return { installedNow, upgradedFrom, version: record.version, image: record.image, ms: performance.now() - started };
  }

  /** Tunnels to every Ready agent pod with the intercept registered; refusals are thrown as they come. */
  async openTunnels(): Promise<TunnelsReady> {
    const { record, token } = this.agent;
    const selector = this.deploymentObject?.spec?.selector?.matchLabels ?? {};
    const started = performance.now();
    const tunnels = new PodTunnels({
      access: this.options.access,
      selector,
      tunnelPort: record.tunnelPort,
      token,
      intercept: this.options.intercept,
      localPort: this.options.localPort,
      owner: this.owner,
    });
    this.podTunnels = tunnels;
    this.cleanups.push(() => tunnels.stop());
    const [pods] = await Promise.all([tunnels.start(this.options.tunnelTimeoutMs ?? 20_000), this.leaseRenewed]);
    this.checkpoint();
    return { pods, port: record.ports[0], localPort: this.options.localPort, tunnelPort: record.tunnelPort, selector, ms: performance.now() - started };
  }

  /** The app container's env with cluster hosts pointed at local listeners tunneled into the cluster. */
  async importEnvironment(): Promise<LocalEnvironment> {
    const { record, token } = this.agent;
    const deployment = this.deploymentObject;
    if (!deployment) throw new Error('ensureAgent() first');
    const environment = await prepareEnvironment({
      access: this.options.access,
      deployment,
      container: record.container,
      selector: deployment.spec?.selector?.matchLabels ?? {},
      tunnelPort: record.tunnelPort,
      token,
      containerPort: record.ports[0].app,
      localPort: this.options.localPort,
    });
    this.cleanups.push(() => environment.close());
    this.checkpoint();
    return environment;
  }

  /** Leaves: tunnels closed (the pods answer again at once), lease renewal stopped. Safe to call twice. */
  async close(): Promise<void> {
    for (let cleanup = this.cleanups.pop(); cleanup; cleanup = this.cleanups.pop()) await cleanup();
  }

  private checkpoint(): void {
    const { signal } = this.options;
    if (signal?.aborted) throw new SessionInterrupted(String(signal.reason));
  }
}
