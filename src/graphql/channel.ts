/**
 * A per-subscriber queue turned into an async iterator. With `latestOnly`, a slow subscriber
 * gets the newest value rather than a backlog (metrics coalesce per model); otherwise values
 * queue up to `limit`, after which the oldest are dropped.
 */
export class Channel<T> implements AsyncIterableIterator<T> {
  private readonly values: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private closed = false;

  constructor(
    private readonly onClose: () => void,
    private readonly latestOnly = false,
    private readonly limit = 1000,
  ) {}

  push(value: T): void {
    if (this.closed) return;
    if (this.waiting !== null) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
      return;
    }
    if (this.latestOnly) this.values.length = 0;
    else if (this.values.length >= this.limit) this.values.shift();
    this.values.push(value);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.values.length > 0) return Promise.resolve({ value: this.values.shift() as T, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
