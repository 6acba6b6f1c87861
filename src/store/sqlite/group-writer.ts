import Database from 'better-sqlite3';
import type { EncodedEvent } from '../encoded-event.js';
import { maxAppendedId } from '../outcomes.js';
import type { AppendOutcome } from '../types.js';
import { SqliteStore } from './sqlite-store.js';

interface Waiting {
  batches: EncodedEvent[][];
  urgent: boolean;
  resolve: (outcomes: AppendOutcome[][]) => void;
  reject: (error: Error) => void;
}

/** How long to wait before trying again while another connection holds the write lock. */
const RETRY_MS = 2;

/**
 * The machine's one event writer, on the supervisor's own event loop: every append that arrives
 * during a turn goes into one transaction at the end of it (group commit), so learns from every
 * server process share one fsync. It runs on the loop itself rather than in a worker thread:
 * the supervisor has nothing else to do that a commit could hold up for long, and a thread cost
 * two more hand-offs per commit. It never waits on SQLite's lock (busy timeout 0): while another
 * connection writes, it tries again every few milliseconds, up to `busyTimeoutMs`, then fails
 * what it holds with SQLITE_BUSY, as a waiting connection would.
 */
export class GroupWriter {
  private readonly store: SqliteStore;
  private readonly busyTimeoutMs: number;
  private queue: Waiting[] = [];
  private timer: NodeJS.Immediate | NodeJS.Timeout | null = null;
  /** When the batch now queued first found the database locked. */
  private lockedSince: number | null = null;

  constructor(
    path: string,
    private readonly options: {
      synchronous: 'full' | 'normal';
      busyTimeoutMs?: number;
      /**
       * Told after each commit that appended events, with the highest id it appended and whether
       * any of its appends was urgent (someone waits for the learner to apply it).
       */
      onCommit?: (maxEventId: number, urgent: boolean) => void;
    },
  ) {
    this.busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    // Opening (and setting WAL) may wait for the lock like any connection; commits never do.
    this.store = new SqliteStore(path, { synchronous: options.synchronous, busyTimeoutMs: this.busyTimeoutMs });
    this.store.db.pragma('busy_timeout = 0');
  }

  append(batches: EncodedEvent[][], urgent = false): Promise<AppendOutcome[][]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ batches, urgent, resolve, reject });
      this.timer ??= setImmediate(() => this.commit());
    });
  }

  private commit(): void {
    this.timer = null;
    if (this.queue.length === 0) return;
    let outcomes: AppendOutcome[][];
    try {
      outcomes = this.store.appendEncoded(this.queue.flatMap((w) => w.batches));
    } catch (error) {
      if (this.retry(error)) return;
      for (const w of this.take()) w.reject(error as Error);
      return;
    }
    let offset = 0;
    let urgent = false;
    for (const w of this.take()) {
      urgent ||= w.urgent;
      w.resolve(outcomes.slice(offset, offset + w.batches.length));
      offset += w.batches.length;
    }
    const max = maxAppendedId(outcomes);
    if (max > 0) this.options.onCommit?.(max, urgent);
  }

  /** The queued appends, answered now: the queue starts afresh. */
  private take(): Waiting[] {
    const waiting = this.queue;
    this.queue = [];
    this.lockedSince = null;
    return waiting;
  }

  /** Whether the commit will be tried again (the database was locked, and not for too long). */
  private retry(error: unknown): boolean {
    if (!(error instanceof Database.SqliteError) || !error.code.startsWith('SQLITE_BUSY')) return false;
    const now = Date.now();
    this.lockedSince ??= now;
    if (now - this.lockedSince >= this.busyTimeoutMs) return false;
    this.timer = setTimeout(() => this.commit(), RETRY_MS);
    return true;
  }

  /** Commits what is queued (a pending timer then finds nothing to do) and closes. */
  async close(): Promise<void> {
    this.commit();
    await this.store.close();
  }
}
