// core/v1 Events, as the kubelet and controllers record them (`kubectl describe` shows them):
// a repeat of the same reason and message on the same object bumps its count instead.
import { timestamp } from '../controllers/workloads';
import type { ObjectStore } from '../registry/object-store';
import type { KubeObject } from '../store/types';

export type EventType = 'Normal' | 'Warning';

export class EventRecorder {
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly store: ObjectStore,
    private readonly component: string,
  ) {}

  record(object: KubeObject, type: EventType, reason: string, message: string): void {
    const namespace = object.metadata.namespace ?? 'default';
    const key = `${object.metadata.uid}|${reason}|${message}`;
    const now = timestamp();
    try {
      const seenName = this.seen.get(key);
      const existing = seenName === undefined ? undefined : this.store.find('events', namespace, seenName);
      if (existing) {
        const count = typeof existing.count === 'number' ? existing.count : 1;
        this.store.update('events', { ...existing, count: count + 1, lastTimestamp: now });
        return;
      }
      const name = `${object.metadata.name}.${Date.now().toString(16)}${Math.floor(Math.random() * 0xfff).toString(16)}`;
      this.store.create('events', {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: object.apiVersion,
          kind: object.kind,
          name: object.metadata.name,
          namespace,
          uid: object.metadata.uid,
          resourceVersion: object.metadata.resourceVersion,
        },
        type,
        reason,
        message,
        source: { component: this.component },
        reportingComponent: this.component,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      });
      this.seen.set(key, name);
    } catch {
      // Events are best effort, as in Kubernetes (e.g. the namespace is being deleted).
    }
  }
}
