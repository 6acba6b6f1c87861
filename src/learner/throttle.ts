/**
 * Runs `flush` at most once per `intervalMs`, leading and trailing: a request after a quiet
 * interval runs it at once; requests within the interval run it once, when the interval is over.
 * The learner's progress announcements and the supervisor's nudges to the learner both go
 * through one: under a stream of small changes, the work per message is paid a few hundred
 * times a second rather than once per change.
 */
export class Throttle {
  private lastAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly flush: () => void,
    private readonly intervalMs: number,
  ) {}

  /** Something changed: flush now if the last flush is an interval old, else when it is. */
  request(): void {
    if (this.timer !== null) return;
    const wait = this.lastAt + this.intervalMs - performance.now();
    if (wait <= 0) this.now();
    else this.timer = setTimeout(() => this.now(), wait);
  }

  /** Flushes at once (someone waits, or this is the end), whatever the interval. */
  now(): void {
    this.cancel();
    this.lastAt = performance.now();
    this.flush();
  }

  /** Drops a pending flush. */
  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
