import { maxAppendedId } from '../store/outcomes.js';
import type { AppendOutcome, NewEvent } from '../store/types.js';

/**
 * Where committed events go. `urgent` says someone waits for the learner to apply them (`wait:
 * true`, a checkpoint or rollback): the learner is woken at once instead of at its next round.
 */
export interface EventSink {
  appendEvents(batches: ReadonlyArray<readonly NewEvent[]>, urgent: boolean): Promise<AppendOutcome[][]>;
}

interface Waiting {
  batch: readonly NewEvent[];
  urgent: boolean;
  resolve: (outcomes: AppendOutcome[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: learn requests that arrive while a commit is in progress are committed together
 * in the next transaction, so every acknowledgement is durable (synchronous=FULL) at a fraction
 * of the cost of one fsync each.
 */
export class GroupCommitter {
  private queue: Waiting[] = [];
  private scheduled = false;

  constructor(
    private readonly store: EventSink,
    /** Told of each commit that appended events, unless the sink tells the learner itself. */
    private readonly afterCommit?: (maxEventId: number, urgent: boolean) => void,
  ) {}

  /** Resolves once the batch is committed, with one outcome per event. */
  append(batch: readonly NewEvent[], urgent = false): Promise<AppendOutcome[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ batch, urgent, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.send());
      }
    });
  }

  /**
   * Sends what this turn of the event loop collected. It does not wait for the previous commit:
   * the writer (a thread, for server processes) merges whatever has queued up into its next
   * transaction, and the database keeps the order.
   */
  private send(): void {
    this.scheduled = false;
    const waiting = this.queue;
    this.queue = [];
    const urgent = waiting.some((w) => w.urgent);
    this.store.appendEvents(waiting.map((w) => w.batch), urgent).then(
      (outcomes) => {
        waiting.forEach((w, i) => w.resolve(outcomes[i]));
        if (this.afterCommit === undefined) return;
        const max = maxAppendedId(outcomes);
        if (max > 0) this.afterCommit(max, urgent);
      },
      (error: unknown) => {
        for (const w of waiting) w.reject(error);
      },
    );
  }
}
