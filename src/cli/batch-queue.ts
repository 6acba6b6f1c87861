/**
 * Sends batches one after another, in the order they were pushed, while the caller goes on
 * producing the next ones. The first failure stops everything: later batches are not sent, the
 * next `push` throws it, and `finish` rejects with it.
 *
 * @example
 * const queue = new BatchQueue((rows: Row[]) => append(rows));
 * for (const batch of batches) await queue.push(batch);
 * await queue.finish();
 */
export class BatchQueue<T> {
  private tail: Promise<void> = Promise.resolve();
  private readonly queued: Array<Promise<void>> = [];
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly send: (batch: T) => Promise<void>,
    /** Batches waiting or in flight beyond which `push` asks the caller to wait. @default 2 */
    private readonly depth = 2,
  ) {}

  /**
   * Queues a batch. Returns a promise to await when `depth` batches are already queued (a reader
   * that awaits it keeps memory bounded), otherwise undefined. Throws the first failure.
   */
  push(batch: T): Promise<void> | undefined {
    if (this.failure !== null) throw this.failure.error;
    const sent = this.tail.then(async () => {
      if (this.failure !== null) return;
      try {
        await this.send(batch);
      } catch (error) {
        this.failure ??= { error };
      }
    });
    this.tail = sent;
    this.queued.push(sent);
    void sent.then(() => this.queued.splice(this.queued.indexOf(sent), 1));
    return this.queued.length > this.depth ? this.queued[this.queued.length - 1 - this.depth] : undefined;
  }

  /** Resolves once every batch is sent; rejects with the first failure. */
  async finish(): Promise<void> {
    await this.tail;
    if (this.failure !== null) throw this.failure.error;
  }
}
