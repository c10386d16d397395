// The simulated node's kubelet: runs every pod bound to the node (PodWorker), as containers of
// local Docker images or as local processes,
// writes their status back, and on a graceful delete stops the containers (SIGTERM, grace
// period, SIGKILL) before removing the pod, as the real kubelet finishes a deletion.
import type { AddressBlock } from '../network/addresses';
import type { ObjectStore } from '../registry/object-store';
import type { KubeObject } from '../store/types';
import type { BackoffOptions } from './backoff';
import type { DockerRuntime } from './containers/docker-runtime';
import type { EnvSources } from './env';
import type { EventRecorder } from './events';
import type { ImageMap } from './images';
import type { Pod } from './kube-types';
import type { PodVolumes } from './pod-volumes';
import { PodWorker } from './pod-worker';

export const NODE_NAME = 'kube-sim';

export interface KubeletOptions {
  images: ImageMap;
  docker?: DockerRuntime;
  volumes: PodVolumes;
  block: AddressBlock;
  namesFile: string;
  envSources: EnvSources;
  events: EventRecorder;
  backoff?: BackoffOptions;
  /** Called with a pod's address the moment it starts terminating (kube-proxy drops it at once). */
  onTerminating?: (podIP: string) => void;
}

interface Running {
  uid: string;
  worker: PodWorker;
  terminating?: Promise<void>;
  flush?: NodeJS.Immediate;
}

const keyOf = (pod: KubeObject) => `${pod.metadata.namespace}/${pod.metadata.name}`;

/** A stored pod as the kubelet reads it (the pod strategy validated it on its way in). */
const asPod = (object: KubeObject): Pod & KubeObject => object as Pod & KubeObject;

export class Kubelet {
  private readonly pods = new Map<string, Running>();
  private stopWatch: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly store: ObjectStore,
    private readonly options: KubeletOptions,
  ) {}

  start(): void {
    this.stopWatch = this.store.watch('pods', {}, (event) => {
      if (asPod(event.object).spec?.nodeName !== NODE_NAME) return;
      const pod = event.object;
      // A deleted pod leaves the Service backends at once, before it gets SIGTERM, so no new
      // connection reaches a pod that is closing its listener.
      const running = this.pods.get(keyOf(pod));
      if (pod.metadata.deletionTimestamp && running && running.uid === pod.metadata.uid) this.options.onTerminating?.(running.worker.ip);
      // Work after the current change has reached every watcher (never write from inside a write).
      setImmediate(() => (event.type === 'DELETED' ? this.forget(pod) : this.sync(pod)));
    });
  }

  /** The pod worker of a running pod (logs, tests). */
  worker(namespace: string, name: string): PodWorker | undefined {
    return this.pods.get(`${namespace}/${name}`)?.worker;
  }

  /** Stops every pod (simulator shutdown), each within its grace period but at most `maxGraceSeconds`. */
  async shutdown(maxGraceSeconds: number): Promise<void> {
    this.closed = true;
    this.stopWatch?.();
    await Promise.all(
      [...this.pods.values()].map(async (running) => {
        clearImmediate(running.flush);
        const grace = Math.min(maxGraceSeconds, running.worker.pod.spec.terminationGracePeriodSeconds ?? 30);
        await (running.terminating ?? running.worker.terminate(grace));
        this.options.block.release(running.worker.ip);
      }),
    );
    this.pods.clear();
  }

  private sync(object: KubeObject): void {
    if (this.closed) return;
    const key = keyOf(object);
    let running = this.pods.get(key);
    if (running && running.uid !== object.metadata.uid) return; // an old pod of that name is still stopping
    if (!running) {
      if (object.metadata.deletionTimestamp) {
        this.remove(object);
        return;
      }
      running = this.run(asPod(object));
    }
    if (object.metadata.deletionTimestamp && !running.terminating) this.terminate(object, running);
  }

  private run(object: Pod & KubeObject): Running {
    const ip = this.options.block.allocatePod();
    const key = keyOf(object);
    const uid = object.metadata.uid;
    if (uid === undefined) throw new Error(`kubelet: pod ${key} has no metadata.uid; the store gives every object one`);
    const running: Running = { uid, worker: undefined as unknown as PodWorker };
    running.worker = new PodWorker(object, {
      images: this.options.images,
      docker: this.options.docker,
      volumes: this.options.volumes,
      envSources: this.options.envSources,
      network: { ip, namespace: object.metadata.namespace ?? 'default', hostname: object.metadata.name, namesFile: this.options.namesFile },
      backoff: this.options.backoff,
      onChange: () => this.scheduleStatus(key, running),
      onEvent: (type, reason, message) => this.options.events.record(object, type, reason, message),
    });
    this.pods.set(key, running);
    void running.worker.start();
    this.scheduleStatus(key, running);
    return running;
  }

  private terminate(object: KubeObject, running: Running): void {
    const grace = object.metadata.deletionGracePeriodSeconds ?? asPod(object).spec?.terminationGracePeriodSeconds ?? 30;
    running.terminating = running.worker.terminate(grace).then(() => {
      this.writeStatus(object, running);
      this.remove(object);
    });
  }

  /** The containers are stopped: finish the deletion (the object goes away now). */
  private remove(object: KubeObject): void {
    try {
      this.store.delete('pods', object.metadata.namespace, object.metadata.name, { gracePeriodSeconds: 0, preconditions: { uid: object.metadata.uid } });
    } catch {
      // already gone
    }
  }

  /** The pod object is gone (deleted with grace 0, or after we finished): stop whatever still runs. */
  private forget(object: KubeObject): void {
    const key = keyOf(object);
    const running = this.pods.get(key);
    if (!running || running.uid !== object.metadata.uid) return;
    clearImmediate(running.flush);
    this.options.onTerminating?.(running.worker.ip);
    void (running.terminating ?? running.worker.terminate(0)).then(() => {
      if (this.pods.get(key) === running) this.pods.delete(key);
      this.options.block.release(running.worker.ip);
      // A new pod of the same name may have arrived while this one was stopping: run it now.
      const successor = this.store.find('pods', object.metadata.namespace, object.metadata.name);
      if (successor && asPod(successor).spec?.nodeName === NODE_NAME) this.sync(successor);
    });
  }

  private scheduleStatus(key: string, running: Running): void {
    if (running.flush || this.closed) return;
    running.flush = setImmediate(() => {
      running.flush = undefined;
      const current = this.store.find('pods', key.split('/')[0], key.split('/')[1]);
      if (current && current.metadata.uid === running.uid) this.writeStatus(current, running);
    });
  }

  private writeStatus(object: KubeObject, running: Running): void {
    const fresh = this.store.find('pods', object.metadata.namespace, object.metadata.name);
    if (!fresh || fresh.metadata.uid !== running.uid) return;
    const status = running.worker.status();
    if (JSON.stringify(fresh.status) === JSON.stringify(status)) return;
    try {
      this.store.update('pods', { ...fresh, status }, { subresource: 'status' });
    } catch (error) {
      if ((error as { code?: number }).code !== 404) throw error;
    }
  }
}
