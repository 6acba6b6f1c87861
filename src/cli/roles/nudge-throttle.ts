import { Throttle } from '../../learner/throttle.js';

/**
 * The supervisor's nudges to the learner after commits. An urgent one (someone waits for the
 * learner: `wait: true`, a checkpoint, a rollback) goes at once; the others at most once per
 * `intervalMs`, carrying the highest id committed so far. Under a stream of small commits the
 * learner then wakes about a hundred times a second instead of once per commit, and reads many
 * events per round. A label is applied at most `intervalMs` later, far inside the checkpoint
 * interval that bounds freshness.
 */
export class NudgeThrottle {
  /** The highest committed id the learner has not been told of; 0 when there is none. */
  private pending = 0;
  private readonly throttle: Throttle;

  constructor(send: (maxEventId: number) => void, intervalMs = 10) {
    this.throttle = new Throttle(() => {
      if (this.pending === 0) return;
      const max = this.pending;
      this.pending = 0;
      send(max);
    }, intervalMs);
  }

  committed(maxEventId: number, urgent: boolean): void {
    this.pending = Math.max(this.pending, maxEventId);
    if (urgent) this.throttle.now();
    else this.throttle.request();
  }

  /** Drops a nudge not yet sent (the learner reads the whole log when it starts anyway). */
  stop(): void {
    this.throttle.cancel();
  }
}
