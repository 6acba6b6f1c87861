import type { Logger } from 'pino';
import {
  encodeRuns,
  type LoggedPrediction,
  type PendingPrediction,
  parsePredictionId,
  PredictionIds,
} from '../store/prediction-run.js';
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
  /** Not yet sent to the store, in seq order. */
  private buffer: PendingPrediction[] = [];
  /** Sent to the store, not yet known to be written. */
  private readonly writing = new Set<PendingPrediction[]>();
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
    this.buffer.push({ id, seq, check, served });
    if (this.failures > 0) this.dropOldest();
    else if (this.buffer.length >= this.maxBuffer) void this.flush();
    else if (this.timer === null) this.timer = setTimeout(() => void this.flush(), this.flushMs);
    return id;
  }

  async get(id: string): Promise<PredictionRecord | undefined> {
    const parts = parsePredictionId(id);
    if (parts?.source === this.ids.source) {
      for (const list of [this.buffer, ...this.writing]) {
        const found = findSeq(list, parts.seq);
        if (found !== undefined) {
          return found.check === parts.check ? { id, ...found.served } : undefined;
        }
      }
    }
    return this.store.getPrediction(id);
  }

  async flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.writing.add(batch);
    try {
      await this.store.logPredictions(encodeRuns(this.ids.source, batch));
    } catch (error) {
      this.writing.delete(batch);
      // Keep them for the next flush rather than lose them; the database may be briefly locked.
      const retryInMs = Math.min(2000, 100 * 2 ** this.failures++);
      this.log.warn({ err: error, predictions: batch.length, retryInMs }, 'could not record predictions; retrying');
      this.buffer = batch.concat(this.buffer);
      this.dropOldest();
      if (this.timer === null) this.timer = setTimeout(() => void this.flush(), retryInMs);
      return;
    }
    this.writing.delete(batch);
    this.failures = 0;
  }

  /** Beyond `maxRetained` (by a batch, so not on every add), forgets the oldest predictions. */
  private dropOldest(): void {
    const excess = this.buffer.length - this.maxRetained;
    if (excess < this.maxBuffer) return;
    const dropped = this.buffer.splice(0, excess);
    this.log.error({ dropped: dropped.length }, 'the database has not taken predictions for a while; dropped the oldest (they cannot be labelled late)');
  }
}

/** The prediction with this seq in a list sorted by seq (binary search). */
function findSeq(list: readonly PendingPrediction[], seq: number): PendingPrediction | undefined {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = list[mid].seq;
    if (s === seq) return list[mid];
    if (s < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}
