import type { Logger } from 'pino';
import { encodeRuns, type LoggedPrediction, type PendingPrediction, PredictionIds } from '../store/prediction-run.js';
import type { PredictionRecord, Store } from '../store/types.js';

/**
 * Records served predictions in batches (one transaction every few milliseconds) so that logging
 * costs the predict path almost nothing. A prediction not yet flushed is still found by `get`.
 * If the process dies before a flush, those predictions cannot be labelled late (learn answers
 * PREDICTION_NOT_FOUND); labels themselves are never lost. While the database cannot take them
 * (disk full, locked) they are kept and retried with a growing delay; past `maxRetained` the
 * oldest are dropped, so a long outage costs late labels, not the process's memory.
 */
export class PredictionLog {
  private readonly ids = new PredictionIds();
  private buffer: PendingPrediction[] = [];
  private readonly pending = new Map<string, PendingPrediction>();
  private timer: NodeJS.Timeout | null = null;
  /** Flushes failed in a row; while > 0 only the retry timer flushes. */
  private failures = 0;

  constructor(
    private readonly store: Pick<Store, 'logPredictions' | 'getPrediction'>,
    private readonly log: Logger,
    private readonly flushMs = 20,
    private readonly maxBuffer = 2000,
    private readonly maxRetained = 20_000,
  ) {}

  /** Takes the prediction's id and queues it for the log; returns the id. */
  add(served: LoggedPrediction): string {
    const { id, seq, check } = this.ids.take();
    const prediction: PendingPrediction = { ...served, id, seq, check };
    this.buffer.push(prediction);
    this.pending.set(prediction.id, prediction);
    if (this.failures > 0) this.dropOldest();
    else if (this.buffer.length >= this.maxBuffer) void this.flush();
    else if (this.timer === null) this.timer = setTimeout(() => void this.flush(), this.flushMs);
    return id;
  }

  async get(id: string): Promise<PredictionRecord | undefined> {
    const pending = this.pending.get(id);
    if (pending === undefined) return this.store.getPrediction(id);
    const { seq: _seq, check: _check, ...record } = pending;
    return record;
  }

  async flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    try {
      await this.store.logPredictions(encodeRuns(this.ids.source, batch));
    } catch (error) {
      // Keep them for the next flush rather than lose them; the database may be briefly locked.
      const retryInMs = Math.min(2000, 100 * 2 ** this.failures++);
      this.log.warn({ err: error, predictions: batch.length, retryInMs }, 'could not record predictions; retrying');
      this.buffer = batch.concat(this.buffer);
      this.dropOldest();
      if (this.timer === null) this.timer = setTimeout(() => void this.flush(), retryInMs);
      return;
    }
    this.failures = 0;
    for (const p of batch) this.pending.delete(p.id);
  }

  /** Beyond `maxRetained` (by a batch, so not on every add), forgets the oldest predictions. */
  private dropOldest(): void {
    const excess = this.buffer.length - this.maxRetained;
    if (excess < this.maxBuffer) return;
    const dropped = this.buffer.splice(0, excess);
    for (const p of dropped) this.pending.delete(p.id);
    this.log.error({ dropped: dropped.length }, 'the database has not taken predictions for a while; dropped the oldest (they cannot be labelled late)');
  }
}
