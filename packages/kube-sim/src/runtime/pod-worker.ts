// One pod on the simulated node: init containers in order, then the app containers, and the
// PodStatus the kubelet would report (phase, conditions, containerStatuses).
import type { BackoffOptions } from './backoff';
import { type ContainerContext, ContainerRunner, kubeTime } from './container-runner';
import type { DockerRuntime } from './containers/docker-runtime';
import type { EnvSources } from './env';
import type { ImageMap } from './images';
import type { Pod, PodCondition, PodStatus } from './kube-types';
import type { PodNetwork } from './launch';
import type { PodVolumes } from './pod-volumes';

export interface PodWorkerOptions {
  images: ImageMap;
  docker?: DockerRuntime;
  volumes: PodVolumes;
  envSources: EnvSources;
  network: PodNetwork;
  backoff?: BackoffOptions;
  /** Called whenever the status may have changed; cheap to call often. */
  onChange: () => void;
  onEvent?: ContainerContext['onEvent'];
}

export const HOST_IP = '127.0.0.1';

export class PodWorker {
  readonly initContainers: ContainerRunner[];
  readonly containers: ContainerRunner[];
  private initialized: boolean;
  private readonly startTime = Date.now();
  private readonly transitions = new Map<string, { status: string; time: number }>();
  private terminating = false;

  constructor(
    readonly pod: Pod,
    private readonly options: PodWorkerOptions,
  ) {
    const runner = (init: boolean) => (container: Pod['spec']['containers'][number]) =>
      new ContainerRunner({
        pod,
        container,
        init,
        network: options.network,
        images: options.images,
        docker: options.docker,
        volumes: options.volumes,
        envSources: options.envSources,
        backoff: options.backoff,
        onChange: options.onChange,
        onEvent: options.onEvent,
      });
    this.initContainers = (pod.spec.initContainers ?? []).map(runner(true));
    this.containers = pod.spec.containers.map(runner(false));
    this.initialized = this.initContainers.length === 0;
  }

  get ip(): string {
    return this.options.network.ip;
  }

  async start(): Promise<void> {
    for (const init of this.initContainers) {
      if (this.terminating) return;
      init.start();
      await init.completed;
    }
    if (this.terminating) return;
    this.initialized = true;
    for (const container of this.containers) container.start();
    this.options.onChange();
  }

  /** The named container (any init or app container), or why there is none, as the API says it. */
  container(name: string | undefined): ContainerRunner | string {
    const podName = this.pod.metadata.name;
    if (!name) {
      if (this.containers.length === 1) return this.containers[0];
      return `a container name must be specified for pod ${podName}, choose one of: [${this.containers.map((c) => c.name).join(' ')}]`;
    }
    return [...this.containers, ...this.initContainers].find((c) => c.name === name) ?? `container ${name} is not valid for pod ${podName}`;
  }

  /** Stops every container (pod deletion), in parallel, each with the grace period. */
  async terminate(graceSeconds?: number): Promise<void> {
    this.terminating = true;
    await Promise.all([...this.initContainers, ...this.containers].map((c) => c.stop(graceSeconds)));
    if (this.pod.metadata.uid) this.options.volumes.release(this.pod.metadata.uid);
    this.options.onChange();
  }

  private condition(type: string, ok: boolean, reason?: string, message?: string): PodCondition {
    const status = ok ? 'True' : 'False';
    let transition = this.transitions.get(type);
    if (transition?.status !== status) {
      transition = { status, time: Date.now() };
      this.transitions.set(type, transition);
    }
    return {
      type,
      status,
      lastProbeTime: null,
      lastTransitionTime: kubeTime(transition.time),
      ...(reason ? { reason } : {}),
      ...(message ? { message } : {}),
    };
  }

  private phase(): NonNullable<PodStatus['phase']> {
    if (!this.initialized) return 'Pending';
    const statuses = this.containers.map((c) => c.status());
    const neverRan = statuses.filter((s) => s.state.waiting && !s.lastState.terminated).length;
    const running = statuses.filter((s) => s.state.running).length;
    const stopped = statuses.filter((s) => s.state.terminated || (s.state.waiting && s.lastState.terminated)).length;
    if (neverRan > 0) return 'Pending';
    if (running > 0) return 'Running';
    const policy = this.pod.spec.restartPolicy ?? 'Always';
    if (stopped > 0 && !this.terminating && policy === 'Always') return 'Running'; // in back-off, will restart
    const succeeded = statuses.every((s) => s.state.terminated?.exitCode === 0);
    if (succeeded) return 'Succeeded';
    return policy === 'Never' || this.terminating ? 'Failed' : 'Running';
  }

  status(): PodStatus {
    const phase = this.phase();
    const unready = this.containers.filter((c) => !c.isReady).map((c) => c.name);
    const uninitialized = this.initialized ? [] : this.initContainers.filter((c) => !c.terminated || c.terminated.exitCode !== 0).map((c) => c.name);
    const done = phase === 'Succeeded' || phase === 'Failed';
    const notReady = done ? { reason: 'PodCompleted' } : { reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` };
    const ready = unready.length === 0 && !done;
    const conditions = [
      this.condition('PodReadyToStartContainers', !done || !this.terminating),
      this.initialized
        ? this.condition('Initialized', true)
        : this.condition('Initialized', false, 'ContainersNotInitialized', `containers with incomplete status: [${uninitialized.join(' ')}]`),
      ready ? this.condition('Ready', true) : this.condition('Ready', false, notReady.reason, notReady.message),
      ready ? this.condition('ContainersReady', true) : this.condition('ContainersReady', false, notReady.reason, notReady.message),
      this.condition('PodScheduled', true),
    ];
    return {
      phase,
      conditions,
      hostIP: HOST_IP,
      hostIPs: [{ ip: HOST_IP }],
      podIP: this.ip,
      podIPs: [{ ip: this.ip }],
      startTime: kubeTime(this.startTime),
      ...(this.initContainers.length ? { initContainerStatuses: this.initContainers.map((c) => c.status()) } : {}),
      containerStatuses: this.containers.map((c) => c.status()),
      qosClass: qosClass(this.pod),
    };
  }
}

/** Guaranteed when every container's requests equal its limits for cpu and memory; BestEffort with none at all. */
export function qosClass(pod: Pod): string {
  const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  const any = all.some((c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length);
  if (!any) return 'BestEffort';
  const guaranteed = all.every((c) =>
    ['cpu', 'memory'].every((r) => c.resources?.limits?.[r] && (c.resources.requests?.[r] ?? c.resources.limits[r]) === c.resources.limits[r]),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
