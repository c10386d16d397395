/** Events in arrival order, for a loop that awaits them one at a time. */
export class EventQueue<T> {
  private readonly waiting: T[] = [];
  private take: ((event: T) => void) | null = null;

  push(event: T): void {
    const take = this.take;
    this.take = null;
    if (take) take(event);
    else this.waiting.push(event);
  }

  next(): Promise<T> {
    if (this.waiting.length) return Promise.resolve(this.waiting.shift()!);
    return new Promise((resolve) => (this.take = resolve));
  }
}
