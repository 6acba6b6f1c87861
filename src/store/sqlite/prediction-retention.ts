import type { Logger } from 'pino';
import { isStoreUnavailable } from '../unavailable.js';
import { PredictionFile } from './prediction-file.js';

/** Runs deleted per statement: a few milliseconds of the supervisor's event loop at most. */
const BATCH = 100;

/**
 * Keeps the log of served predictions to a window: every so often, deletes the runs whose newest
 * prediction is older than `retentionMs`, a batch at a time, yielding between batches. A late
 * label for a prediction past the window answers PREDICTION_NOT_FOUND. A prediction takes a few
 * hundred bytes (its features' names and values), so at 20k a second the log grows by several MB a
 * second: without a window it would fill any disk.
 * SQLite reuses the freed pages; the file does not shrink.
 */
export class PredictionRetention {
  private readonly file: PredictionFile;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    path: string,
    private readonly retentionMs: number,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    // Briefly: a server's thread holds the file's lock for a commit; if longer, try next time.
    this.file = new PredictionFile(path, { busyTimeoutMs: 100 });
  }

  /** How often it looks: often enough that nothing outlives the window by more than half of it. */
  get everyMs(): number {
    return Math.max(250, Math.min(this.retentionMs / 2, 60_000));
  }

  start(): void {
    this.schedule(this.everyMs);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.prune(), ms);
    this.timer.unref();
  }

  /** One batch; another right after it while there is more to delete. */
  private prune(): void {
    if (this.stopped) return;
    let deleted = 0;
    try {
      deleted = this.file.prune(this.now() - this.retentionMs, BATCH);
    } catch (error) {
      if (!isStoreUnavailable(error)) this.log.error({ err: error }, 'could not prune the prediction log');
    }
    if (deleted === BATCH) {
      this.timer = null;
      setImmediate(() => this.prune());
    } else this.schedule(this.everyMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.file.close();
  }
}
