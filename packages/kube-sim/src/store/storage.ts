// Versioned object storage: one cluster-wide resourceVersion that increases with every write,
// a bounded history of changes (older resourceVersions answer 410 Expired, as after an etcd
// compaction) and ordered delivery of every change to subscribers.
import { expired } from '../api/status';
import type { KubeObject, StoredEvent, WatchEventType } from './types';

export type Subscriber = (event: StoredEvent) => void;

const keyOf = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

export class Storage {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoredEvent[] = [];
  private readonly subscribers = new Set<{ from: number; deliver: Subscriber }>();
  private readonly pending: StoredEvent[] = [];
  private flushing = false;
  private revision = 1;
  /** Changes at or below this revision are no longer in the history. */
  private compacted = 1;

  constructor(private readonly historySize: number) {}

  get resourceVersion(): number {
    return this.revision;
  }

  /** The oldest resourceVersion the history still reaches back to. */
  get oldestResourceVersion(): number {
    return this.compacted;
  }

  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.objects.get(resource)?.get(keyOf(namespace, name));
    return found && structuredClone(found);
  }

  /**
   * The objects of a resource as they were at `revision` (a consistent snapshot, as etcd reads at
   * a revision), keyed `namespace/name` (cluster-scoped: `/name`), sorted, under `keyPrefix`; the changes since are undone from the history. The objects
   * are the stored ones: copy what you hand out.
   * Throws 410 Expired when the history no longer reaches back that far.
   */
  listAt(resource: string, revision: number, keyPrefix = ''): [string, KubeObject][] {
    if (revision < this.compacted) throw expired(revision, this.compacted);
    const live = this.objects.get(resource) ?? new Map<string, KubeObject>();
    // The newest state is read as it is; an older one from a copy with the later changes undone.
    const byKey = revision < this.revision ? new Map(live) : live;
    for (let i = this.history.length - 1; i >= 0 && this.history[i].resourceVersion > revision; i--) {
      const event = this.history[i];
      if (event.resource !== resource) continue;
      const key = keyOf(event.object.metadata.namespace, event.object.metadata.name);
      if (event.type === 'ADDED' || !event.previous) byKey.delete(key);
      else byKey.set(key, event.previous);
    }
    return [...byKey.entries()].filter(([key]) => key.startsWith(keyPrefix)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Stores a new or changed object under the next resourceVersion and returns the stored copy. */
  put(resource: string, object: KubeObject): KubeObject {
    const key = keyOf(object.metadata.namespace, object.metadata.name);
    const byKey = this.objects.get(resource) ?? new Map<string, KubeObject>();
    this.objects.set(resource, byKey);
    const previous = byKey.get(key);
    const stored = this.stamp(object);
    byKey.set(key, stored);
    this.record(previous ? 'MODIFIED' : 'ADDED', resource, stored, previous);
    return structuredClone(stored);
  }

  /** Removes an object; the DELETED event carries the resourceVersion of the deletion. */
  remove(resource: string, object: KubeObject): KubeObject {
    const key = keyOf(object.metadata.namespace, object.metadata.name);
    const byKey = this.objects.get(resource);
    const previous = byKey?.get(key);
    if (!byKey || !previous) return object;
    byKey.delete(key);
    const stored = this.stamp(previous);
    this.record('DELETED', resource, stored, previous);
    return structuredClone(stored);
  }

  /**
   * Calls `deliver` with every change after `from` (replayed from the history, then live), in
   * order. Throws 410 Expired when the history no longer reaches back to `from`.
   */
  subscribe(from: number, deliver: Subscriber): () => void {
    if (from < this.compacted) throw expired(from, this.compacted);
    for (const event of this.history) if (event.resourceVersion > from) deliver(event);
    const subscriber = { from: Math.max(from, this.revision), deliver };
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  private stamp(object: KubeObject): KubeObject {
    this.revision += 1;
    const stored = structuredClone(object);
    stored.metadata.resourceVersion = String(this.revision);
    return stored;
  }

  private record(type: WatchEventType, resource: string, object: KubeObject, previous?: KubeObject): void {
    const event: StoredEvent = { type, resource, object, previous, resourceVersion: this.revision };
    this.history.push(event);
    const dropped = this.history.length > this.historySize ? this.history.shift() : undefined;
    if (dropped) this.compacted = dropped.resourceVersion;
    this.pending.push(event);
    this.flush();
  }

  /**
   * Delivers queued changes one at a time to every subscriber. A subscriber that writes while
   * handling a change queues a new one, which everyone sees only after the current one.
   */
  private flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (let event = this.pending.shift(); event; event = this.pending.shift()) {
        for (const subscriber of [...this.subscribers]) {
          if (event.resourceVersion <= subscriber.from || !this.subscribers.has(subscriber)) continue;
          try {
            subscriber.deliver(event);
          } catch (error) {
            console.error(`kube-sim: a watcher failed on ${event.type} ${event.resource}: ${(error as Error).message}`);
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
