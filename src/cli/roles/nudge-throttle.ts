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
  private sentAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly send: (maxEventId: number) => void,
    private readonly intervalMs = 10,
  ) {}

  committed(maxEventId: number, urgent: boolean): void {
    this.pending = Math.max(this.pending, maxEventId);
    if (urgent) return this.flush();
    if (this.timer !== null) return;
    const wait = this.sentAt + this.intervalMs - performance.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Drops a nudge not yet sent (the learner reads the whole log when it starts anyway). */
  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private flush(): void {
    this.stop();
    if (this.pending === 0) return;
    const max = this.pending;
    this.pending = 0;
    this.sentAt = performance.now();
    this.send(max);
  }
}
