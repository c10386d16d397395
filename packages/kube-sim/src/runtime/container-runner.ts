// One container of a running pod, as the kubelet drives it: pull (resolve the image), build the
// environment, start, probe, restart per restartPolicy with back-off, stop on delete; and the
// ContainerStatus it reports at every step.
import { constants } from 'node:os';
import { type BackoffOptions, RestartBackoff } from './backoff';
import type { DockerRuntime } from './containers/docker-runtime';
import { ContainerConfigError, containerEnv, type EnvSources } from './env';
import type { ImageMap } from './images';
import type { Container, ContainerState, ContainerStatus, Pod } from './kube-types';
import { launchSpec, podEnv, type PodNetwork } from './launch';
import type { ContainerLog } from './logs';
import type { PodVolumes } from './pod-volumes';
import { ProbeWorker } from './probes';
import { type ContainerInstance, ContainerProcess, type ExecTarget, type ExitInfo } from './process';
import { VolumeMountError } from './process-volumes';

export interface ContainerContext {
  pod: Pod;
  container: Container;
  network: PodNetwork;
  images: ImageMap;
  /** Runs containers whose image the local Docker engine has; without it, every container is a process. */
  docker?: DockerRuntime;
  volumes: PodVolumes;
  envSources: EnvSources;
  backoff?: BackoffOptions;
  /** Init containers run to completion once; app containers follow the pod's restartPolicy. */
  init?: boolean;
  onChange: () => void;
  /** Kubelet-style events (reason, message) for the pod: Pulled, Started, Killing, Unhealthy, BackOff… */
  onEvent?: (type: 'Normal' | 'Warning', reason: string, message: string) => void;
}

const IMAGE_RETRY_MS = 5000;
const CONFIG_RETRY_MS = 2000;

export function kubeTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function terminatedState(exit: ExitInfo, containerID: string): ContainerState {
  return {
    terminated: {
      exitCode: exit.exitCode,
      ...(exit.signal ? { signal: constants.signals[exit.signal] } : {}),
      reason: exit.startError ? 'StartError' : exit.exitCode === 0 ? 'Completed' : 'Error',
      ...(exit.startError ? { message: exit.startError } : {}),
      startedAt: kubeTime(exit.startedAt),
      finishedAt: kubeTime(exit.finishedAt),
      containerID,
    },
  };
}

export class ContainerRunner {
  restartCount = 0;
  private state: ContainerState = { waiting: { reason: 'ContainerCreating' } };
  private lastState: ContainerState = {};
  private process: ContainerInstance | undefined;
  private previousLog: ContainerLog | undefined;
  private imageID = '';
  private ready = false;
  private started = false;
  private probes: ProbeWorker[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly backoff: RestartBackoff;
  /** Resolves when an init container completed successfully. */
  readonly completed: Promise<void>;
  private complete!: () => void;

  constructor(private readonly ctx: ContainerContext) {
    this.backoff = new RestartBackoff(ctx.backoff);
    this.completed = new Promise((resolve) => (this.complete = resolve));
  }

  get name(): string {
    return this.ctx.container.name;
  }

  get isRunning(): boolean {
    return !!this.process?.running;
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** Set once the container has exited for good (no restart coming). */
  get terminated(): ContainerState['terminated'] {
    return this.state.terminated;
  }

  /** Current instance's log, or the previous instance's (`kubectl logs --previous`). */
  log(previous = false): ContainerLog | undefined {
    return previous ? this.previousLog : this.process?.log;
  }

  /** Where `kubectl exec` runs a command: the running instance's environment, or its Docker container. */
  get execTarget(): ExecTarget | undefined {
    return this.process?.running ? this.process.execTarget : undefined;
  }

  /** The running instance, for `kubectl attach`: its output as it comes, and its stdin when it has one. */
  get attachable(): { log: ContainerLog; stdin: NodeJS.WritableStream | null } | undefined {
    return this.process?.running ? { log: this.process.log, stdin: this.process.stdin } : undefined;
  }

  /** The process id of the running instance (tests kill it to simulate a crash). */
  get pid(): number | undefined {
    return this.process?.running ? this.process.pid : undefined;
  }

  start(): void {
    if (!this.stopping) void this.launch();
  }

  private async launch(): Promise<void> {
    const { pod, container, images, envSources, network, docker, volumes } = this.ctx;
    const image = container.image ?? '';
    const local = await docker?.localImage(container);
    if (this.stopping) return;
    const pulled = local && docker ? { local, docker } : images.resolve(image);
    if ('error' in pulled) {
      this.setWaiting('ErrImagePull', pulled.error);
      this.ctx.onEvent?.('Warning', 'Failed', pulled.error);
      this.timer = setTimeout(() => {
        this.setWaiting('ImagePullBackOff', `Back-off pulling image "${image}"`);
        this.timer = setTimeout(() => this.start(), IMAGE_RETRY_MS);
      }, 1000);
      return;
    }
    let env: Record<string, string>;
    let binds: string[] = [];
    let mounts = new Map<string, string>();
    try {
      // A container gets its volumes mounted; of the processes only the Node image reads them
      // (the repository's entry points need none).
      if ('local' in pulled) binds = volumes.binds(pod, container, envSources);
      else if (pulled.runtime.kind === 'node-image') mounts = volumes.paths(pod, container, envSources);
      env = containerEnv(pod, container, network.ip, envSources);
    } catch (error) {
      if (error instanceof VolumeMountError) {
        this.setWaiting('ContainerCreating');
        this.ctx.onEvent?.('Warning', 'FailedMount', error.message);
        this.timer = setTimeout(() => this.start(), CONFIG_RETRY_MS);
        return;
      }
      if (!(error instanceof ContainerConfigError)) throw error;
      this.setWaiting('CreateContainerConfigError', error.message);
      this.ctx.onEvent?.('Warning', 'Failed', `Error: ${error.message}`);
      this.timer = setTimeout(() => this.start(), CONFIG_RETRY_MS);
      return;
    }
    if (this.process) this.previousLog = this.process.log;
    this.ctx.onEvent?.('Normal', 'Pulled', `Container image "${image}" already present on machine`);
    this.ctx.onEvent?.('Normal', 'Created', `Created container ${container.name}`);
    let instance: ContainerInstance;
    // Running (probes start, "Started") once the runtime has started it: a process at once, a
    // Docker container when the engine says so.
    const running = (env: Record<string, string>) => {
      if (instance !== this.process || !instance.running) return;
      this.state = { running: { startedAt: kubeTime(Date.now()) } };
      this.started = !container.startupProbe;
      this.ctx.onEvent?.('Normal', 'Started', `Started container ${container.name}`);
      this.startProbes(env);
      this.ctx.onChange();
    };
    if ('local' in pulled) {
      instance = pulled.docker.run(pod, container, pulled.local, env, network, binds, this.restartCount, () => running(podEnv(env, network)));
      this.imageID = pulled.local.id;
      this.setWaiting('ContainerCreating');
    } else {
      const spec = { ...launchSpec(pulled.runtime, container, env, network, mounts), stdin: container.stdin };
      instance = new ContainerProcess(spec);
      this.imageID = `kube-sim:${image}`;
      queueMicrotask(() => running(spec.env));
    }
    this.process = instance;
    this.ready = false;
    void instance.exited.then((exit) => this.onExit(instance, exit));
  }

  private startProbes(env: Record<string, string>): void {
    const { container, network } = this.ctx;
    const target = { container, podIP: network.ip, env };
    const liveness = () => {
      if (container.livenessProbe) {
        const worker = new ProbeWorker(container.livenessProbe, target, (ok, message) => {
          if (ok) return;
          this.ctx.onEvent?.('Warning', 'Unhealthy', `Liveness probe failed: ${message}`);
          this.ctx.onEvent?.('Normal', 'Killing', `Container ${container.name} failed liveness probe, will be restarted`);
          void this.process?.stop(this.gracePeriod());
        });
        this.probes.push(worker);
        worker.start();
      }
    };
    const readiness = () => {
      if (!container.readinessProbe) {
        this.setReady(true);
        return;
      }
      const worker = new ProbeWorker(container.readinessProbe, target, (ok, message) => {
        if (!ok) this.ctx.onEvent?.('Warning', 'Unhealthy', `Readiness probe failed: ${message}`);
        this.setReady(ok);
      });
      this.probes.push(worker);
      worker.start();
    };
    if (this.ctx.init) return;
    if (container.startupProbe) {
      const worker = new ProbeWorker(container.startupProbe, target, (ok, message) => {
        if (!ok) {
          this.ctx.onEvent?.('Warning', 'Unhealthy', `Startup probe failed: ${message}`);
          void this.process?.stop(this.gracePeriod());
          return;
        }
        worker.stop();
        this.started = true;
        liveness();
        readiness();
        this.ctx.onChange();
      });
      this.probes.push(worker);
      worker.start();
    } else {
      liveness();
      readiness();
    }
  }

  private setReady(ready: boolean): void {
    if (this.ready === ready) return;
    this.ready = ready;
    this.ctx.onChange();
  }

  private stopProbes(): void {
    for (const probe of this.probes) probe.stop();
    this.probes = [];
  }

  private gracePeriod(): number {
    return this.ctx.pod.spec.terminationGracePeriodSeconds ?? 30;
  }

  private onExit(instance: ContainerInstance, exit: ExitInfo): void {
    if (instance !== this.process) return;
    this.stopProbes();
    this.ready = false;
    const terminated = terminatedState(exit, instance.containerID);
    const policy = this.ctx.init ? 'OnFailure' : (this.ctx.pod.spec.restartPolicy ?? 'Always');
    const restart = !this.stopping && (policy === 'Always' || (policy === 'OnFailure' && exit.exitCode !== 0));
    if (!restart) {
      this.state = terminated;
      if (this.ctx.init && exit.exitCode === 0) this.complete();
      this.ctx.onChange();
      return;
    }
    this.lastState = terminated;
    const wait = this.backoff.waitBeforeRestart(Date.now());
    const relaunch = () => {
      this.restartCount++;
      this.backoff.restarted(Date.now());
      this.start();
    };
    if (wait === 0) {
      relaunch();
      return;
    }
    const message = `back-off ${Math.round(this.backoff.currentDelayMs / 1000)}s restarting failed container=${this.name} pod=${this.ctx.pod.metadata.name}_${this.ctx.pod.metadata.namespace}(${this.ctx.pod.metadata.uid})`;
    this.setWaiting('CrashLoopBackOff', message);
    this.ctx.onEvent?.('Warning', 'BackOff', 'Back-off restarting failed container');
    this.timer = setTimeout(relaunch, wait);
  }

  private setWaiting(reason: string, message?: string): void {
    this.state = { waiting: { reason, ...(message ? { message } : {}) } };
    this.ctx.onChange();
  }

  /** Stops for good (pod deletion): SIGTERM, then SIGKILL after the grace period. */
  async stop(graceSeconds = this.gracePeriod()): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    this.stopProbes();
    if (this.process?.running) {
      this.ctx.onEvent?.('Normal', 'Killing', `Stopping container ${this.name}`);
      this.ready = false;
      this.ctx.onChange();
      await this.process.stop(graceSeconds);
    }
  }

  status(): ContainerStatus {
    return {
      name: this.name,
      image: this.ctx.container.image ?? '',
      imageID: this.process ? this.imageID : '',
      ...(this.process?.containerID ? { containerID: this.process.containerID } : {}),
      ready: this.ready,
      started: this.state.running ? this.started : false,
      restartCount: this.restartCount,
      state: this.state,
      lastState: this.lastState,
    };
  }
}
