// In-process controllers: each reacts to store changes and reconciles through the ObjectStore,
// as kube-controller-manager does through the API.
import type { ObjectStore } from '../registry/object-store';

export interface Controller {
  name: string;
  /** Starts watching; returns what stops it. */
  start(store: ObjectStore): () => void;
}

/**
 * A de-duplicating queue of keys, worked off one at a time after the current change has been
 * delivered to everyone (so a controller never writes from inside another write).
 */
export class WorkQueue {
  private readonly keys = new Set<string>();
  private scheduled = false;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly work: (key: string) => void,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    this.keys.add(key);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  stop(): void {
    this.stopped = true;
    this.keys.clear();
  }

  private drain(): void {
    this.scheduled = false;
    for (const key of [...this.keys]) {
      this.keys.delete(key);
      if (this.stopped) return;
      try {
        this.work(key);
      } catch (error) {
        // Conflicts and vanished objects are normal races; the next change requeues the key.
        const code = (error as { code?: number }).code;
        if (code !== 409 && code !== 404) console.error(`kube-sim: ${this.name} controller failed on ${key}: ${(error as Error).message}`);
      }
    }
  }
}

export const objectKey = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;
export function splitKey(key: string): [string | undefined, string] {
  const slash = key.indexOf('/');
  const namespace = key.slice(0, slash);
  return [namespace || undefined, key.slice(slash + 1)];
}
