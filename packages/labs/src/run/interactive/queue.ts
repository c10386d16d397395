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
    if (this.waiting.length) {
      const [first] = this.waiting.splice(0, 1);
      return Promise.resolve(first);
    }
    return new Promise((resolve) => (this.take = resolve));
  }
}
