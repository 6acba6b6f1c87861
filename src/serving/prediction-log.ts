import type { Logger } from 'pino';
import type { PredictionRecord, Store } from '../store/types.js';

/**
 * Records served predictions in batches (one transaction every few milliseconds) so that logging
 * costs the predict path almost nothing. A prediction not yet flushed is still found by `get`.
 * If the process dies before a flush, those predictions cannot be labelled late (learn answers
 * PREDICTION_NOT_FOUND); labels themselves are never lost.
 */
export class PredictionLog {
  private buffer: PredictionRecord[] = [];
  private readonly pending = new Map<string, PredictionRecord>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly flushMs = 20,
    private readonly maxBuffer = 2000,
  ) {}

  add(prediction: PredictionRecord): void {
    this.buffer.push(prediction);
    this.pending.set(prediction.id, prediction);
    if (this.buffer.length >= this.maxBuffer) void this.flush();
    else if (this.timer === null) this.timer = setTimeout(() => void this.flush(), this.flushMs);
  }

  async get(id: string): Promise<PredictionRecord | undefined> {
    return this.pending.get(id) ?? (await this.store.getPrediction(id));
  }

  async flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    try {
      await this.store.logPredictions(batch);
    } catch (error) {
      // Keep them for the next flush rather than lose them; the database may be briefly locked.
      this.log.warn({ err: error, predictions: batch.length }, 'could not record predictions; retrying');
      this.buffer = batch.concat(this.buffer);
      if (this.timer === null) this.timer = setTimeout(() => void this.flush(), 100);
      return;
    }
    for (const p of batch) this.pending.delete(p.id);
  }
}
