import type { Logger } from 'pino';
import type { AppendVersionOutcome, LogEvent, ModelRecord, NewVersion, Store, VersionReason, VersionRecord } from '../store/types.js';
import { isStoreUnavailable } from '../store/unavailable.js';
import type { LearnerMessage, ModelProgress } from './messages.js';
import { applyLearn, createState, metricValues, restoreState, serializeState, sha256, type ModelState } from './model-state.js';
import { Throttle } from './throttle.js';

export const LEASE_NAME = 'learner';

/** The longest wait between two attempts while the database cannot take writes. */
const MAX_RETRY_MS = 2000;

export interface LearnerOptions {
  store: Store;
  /** Who this learner is in the lease table: host/pid/random. */
  holder: string;
  /** Write a version after this many applied events. @default 10000 */
  checkpointEvery?: number;
  /** …or once this long has passed since the last version, if anything changed. @default 1000 */
  checkpointIntervalMs?: number;
  /** The lease lasts this long unless renewed (renewed every third of it). @default 5000 */
  leaseTtlMs?: number;
  /** Check the log this often even without a nudge. @default 250 */
  pollMs?: number;
  /** Events read per step. @default 2000 */
  batchSize?: number;
  /**
   * Announce progress at most this often; what changes in between is merged into the next
   * announcement. Each one is computed (metrics formatted), relayed and handled by every server
   * process: under a stream of single learns, one per step cost more than the learning. @default 5
   */
  progressIntervalMs?: number;
  publish: (message: LearnerMessage) => void;
  log: Logger;
  /** Take the lease from this holder even if it has not expired (its process is known dead). */
  takeOverFrom?: string;
}

interface Tracked {
  record: ModelRecord;
  state: ModelState;
  /** The last event applied to this model. */
  cursor: number;
  /** The version the state descends from (the parent of the next one); 0 for none. */
  version: number;
  versionCursor: number;
  versionAt: number;
  /** Labels applied since the last version (event ids are global, so they cannot tell). */
  sinceVersion: number;
  dirty: boolean;
}

export class LeaseHeldError extends Error {
  constructor(readonly holder: string) {
    super(`another learner holds the lease (${holder}); only one learner may write versions`);
    this.name = 'LeaseHeldError';
  }
}

/**
 * The single writer: holds the lease, tails the event log in id order, folds each event into its
 * model's state (predict, score, learn), writes versions, and announces progress. Recovery is
 * "load each model's newest version, replay the events after it"; a version whose state does not
 * match its sha256 (changed behind eddy's back) is skipped for the newest good one before it.
 * When the database cannot take a write (disk full, locked), the learner keeps its state and
 * retries; it neither skips events nor applies one twice.
 */
export class Learner {
  private readonly models = new Map<number, Tracked>();
  private cursor = 0;
  private stopped = false;
  private wake: (() => void) | null = null;
  private renewTimer: NodeJS.Timeout | null = null;
  private knownMax = 0;
  private running: Promise<void> | null = null;
  /** Models changed since the last progress announcement. */
  private readonly unpublished = new Set<Tracked>();
  private publishedCursor = 0;
  private readonly announce: Throttle;
  private readonly o: Required<Omit<LearnerOptions, 'takeOverFrom'>> & { takeOverFrom?: string };

  constructor(options: LearnerOptions) {
    this.o = {
      checkpointEvery: 10_000,
      checkpointIntervalMs: 1000,
      leaseTtlMs: 5000,
      pollMs: 250,
      batchSize: 2000,
      progressIntervalMs: 5,
      ...options,
    };
    this.announce = new Throttle(() => this.flushProgress(), this.o.progressIntervalMs);
  }

  /** Takes the lease (or throws LeaseHeldError), loads every model, and starts tailing the log. */
  async start(): Promise<void> {
    const lease = await this.o.store.acquireLease(LEASE_NAME, this.o.holder, this.o.leaseTtlMs, this.o.takeOverFrom);
    if (lease.status === 'held') throw new LeaseHeldError(lease.holder);
    // start() may be called again after a failed one (the database was unavailable).
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.renewTimer = setInterval(() => void this.renew(), Math.max(50, this.o.leaseTtlMs / 3));
    this.renewTimer.unref();
    let min = Number.POSITIVE_INFINITY;
    for (const record of await this.o.store.listModels()) {
      const tracked = await this.load(record);
      min = Math.min(min, tracked.cursor);
    }
    this.cursor = Number.isFinite(min) ? min : await this.o.store.maxEventId();
    this.o.log.info({ models: this.models.size, cursor: this.cursor }, 'learner started');
    this.running = this.loop();
  }

  /** New events are committed up to `maxEventId`: look now rather than at the next poll. */
  nudge(maxEventId: number): void {
    this.knownMax = Math.max(this.knownMax, maxEventId);
    this.wake?.();
  }

  /** Applies what is committed, writes a version of every changed model, releases the lease. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.wake?.();
    await this.running;
    if (this.renewTimer) clearInterval(this.renewTimer);
    try {
      await this.drain();
      this.announce.now();
      for (const t of this.models.values()) if (t.dirty) await this.writeVersion(t, 'checkpoint');
      await this.o.store.releaseLease(LEASE_NAME, this.o.holder);
    } catch (error) {
      this.o.log.warn({ err: error }, 'learner could not finish cleanly; the log still holds everything');
    }
  }

  /** Resolves when the loop ends (stop, or the lease was lost). */
  get done(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /**
   * Restores a model from its newest good version, or from its spec when none is good; after
   * skipping a bad one the state is marked dirty, so that a good version supersedes it soon.
   */
  private async load(record: ModelRecord): Promise<Tracked> {
    let version = await this.o.store.latestVersion(record.id);
    let skipped = false;
    while (version !== undefined && sha256(version.state) !== version.sha256) {
      this.o.log.error(
        { model: record.name, version: version.number },
        'version state does not match its sha256 (tampered or corrupt); the learner resumes from the version before it and replays the log',
      );
      skipped = true;
      version = version.number > 1 ? await this.o.store.getVersion(record.id, version.number - 1) : undefined;
    }
    const tracked: Tracked = {
      record,
      state: version === undefined ? createState(record.spec, record.metrics) : restoreState(version.state, record.metrics),
      cursor: version?.lastEventId ?? 0,
      version: version?.number ?? 0,
      versionCursor: version?.lastEventId ?? 0,
      versionAt: Date.now(),
      sinceVersion: 0,
      dirty: skipped,
    };
    this.models.set(record.id, tracked);
    return tracked;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    try {
      while (!this.stopped) {
        try {
          const applied = await this.step();
          await this.checkpointDue();
          failures = 0;
          if (applied === 0 && !this.stopped) await this.sleep();
          // The store answers synchronously, so without this a long catch-up would starve the
          // lease renewal timer and IPC: yield to the event loop between batches.
          else await new Promise((resolve) => setImmediate(resolve));
        } catch (error) {
          // A failed read changed nothing: the next step starts again after the last applied event.
          if (!isStoreUnavailable(error)) throw error;
          if (this.stopped) return;
          const retryInMs = Math.min(MAX_RETRY_MS, 100 * 2 ** failures++);
          this.o.log.warn({ err: error, retryInMs }, 'database unavailable; the learner retries');
          await this.pause(retryInMs);
        }
      }
    } catch (error) {
      this.stopped = true;
      this.o.log.error({ err: error }, 'learner stopped');
      this.announce.now();
      this.o.publish({ type: 'stopped', reason: error instanceof Error ? error.message : String(error) });
      if (this.renewTimer) clearInterval(this.renewTimer);
      throw error;
    }
  }

  private async drain(): Promise<void> {
    while ((await this.step()) > 0);
  }

  /** Applies one batch of events; returns how many were read. */
  private async step(): Promise<number> {
    const events = await this.o.store.readEvents(this.cursor, this.o.batchSize);
    if (events.length === 0) {
      this.knownMax = this.cursor;
      return 0;
    }
    const changed = new Set<Tracked>();
    for (const event of events) {
      const tracked = this.models.get(event.modelId) ?? (await this.loadNew(event.modelId));
      if (tracked !== undefined && event.id > tracked.cursor) {
        await this.apply(tracked, event);
        changed.add(tracked);
      }
      this.cursor = event.id;
    }
    this.publishProgress(changed);
    return events.length;
  }

  private async loadNew(modelId: number): Promise<Tracked | undefined> {
    const record = await this.o.store.getModelById(modelId);
    return record && this.load(record);
  }

  private async apply(t: Tracked, event: LogEvent): Promise<void> {
    switch (event.kind) {
      case 'learn':
        applyLearn(t.state, event);
        t.cursor = event.id;
        t.dirty = true;
        if (++t.sinceVersion >= this.o.checkpointEvery) await this.writeVersion(t, 'checkpoint');
        return;
      case 'checkpoint':
        t.cursor = event.id;
        await this.writeVersion(t, event.reason === 'import' ? 'import' : 'manual');
        return;
      case 'rollback': {
        const target = await this.o.store.getVersion(t.record.id, event.targetVersion);
        t.cursor = event.id;
        if (target === undefined || sha256(target.state) !== target.sha256) {
          const what = target === undefined ? 'a missing version' : 'a version that does not match its sha256 (tampered or corrupt)';
          this.o.log.error({ model: t.record.name, version: event.targetVersion }, `rollback to ${what} ignored`);
          return;
        }
        t.state = restoreState(target.state, t.record.metrics);
        await this.writeVersion(t, 'rollback', target.number);
        return;
      }
    }
  }

  private async writeVersion(t: Tracked, reason: VersionReason, rollbackOf: number | null = null): Promise<VersionRecord> {
    const { state, sha256: hash } = serializeState(t.state);
    const outcome = await this.appendVersion(t.record.name, {
      modelId: t.record.id,
      parent: t.version > 0 ? t.version : null,
      reason,
      rollbackOf,
      samplesLearned: t.state.samplesLearned,
      lastEventId: t.cursor,
      state,
      sha256: hash,
      metrics: metricValues(t.state.metrics),
    });
    if (outcome.status === 'lease-lost') throw new LeaseHeldError(outcome.holder ?? 'nobody');
    if (outcome.status === 'conflict') throw new Error(`another writer appended a version of ${t.record.name}`);
    const { state: _state, ...summary } = outcome.version;
    t.version = outcome.version.number;
    t.versionCursor = t.cursor;
    t.versionAt = Date.now();
    t.sinceVersion = 0;
    t.dirty = false;
    this.o.publish({ type: 'version', model: t.record.name, version: summary });
    return outcome.version;
  }

  /**
   * Appends a version, retrying while the database cannot take writes (disk full, locked): the
   * learner waits here with its state intact rather than dying or moving past the event that
   * asked for the version. Gives up only when stopped (the log still holds everything).
   */
  private async appendVersion(model: string, version: NewVersion): Promise<AppendVersionOutcome> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.o.store.appendVersion(version, this.o.holder);
      } catch (error) {
        if (!isStoreUnavailable(error) || this.stopped) throw error;
        const retryInMs = Math.min(MAX_RETRY_MS, 100 * 2 ** attempt);
        this.o.log.warn({ err: error, model, retryInMs }, 'could not write a version (database unavailable); retrying');
        await this.pause(retryInMs);
      }
    }
  }

  private async checkpointDue(): Promise<void> {
    const now = Date.now();
    for (const t of this.models.values()) {
      if (t.dirty && now - t.versionAt >= this.o.checkpointIntervalMs) await this.writeVersion(t, 'checkpoint');
    }
  }

  private publishProgress(changed: Set<Tracked>): void {
    for (const t of changed) this.unpublished.add(t);
    this.announce.request();
  }

  /** Announces the cursor and every model changed since the last announcement, as they are now. */
  private flushProgress(): void {
    if (this.unpublished.size === 0 && this.cursor === this.publishedCursor) return;
    const models: ModelProgress[] = [];
    const publishedAt = performance.timeOrigin + performance.now();
    for (const t of this.unpublished) {
      models.push({
        modelId: t.record.id,
        model: t.record.name,
        samplesLearned: t.state.samplesLearned,
        lastEventId: t.cursor,
        metrics: metricValues(t.state.metrics),
        publishedAt,
      });
    }
    this.unpublished.clear();
    this.publishedCursor = this.cursor;
    this.o.publish({ type: 'progress', cursor: this.cursor, models });
  }

  private sleep(): Promise<void> {
    if (this.knownMax > this.cursor) return Promise.resolve();
    let wait = this.o.pollMs;
    const now = Date.now();
    for (const t of this.models.values()) {
      if (t.dirty) wait = Math.min(wait, Math.max(0, t.versionAt + this.o.checkpointIntervalMs - now));
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, wait);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  /** Waits `ms`, or less if stopped meanwhile. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private async renew(): Promise<void> {
    if (this.stopped) return;
    try {
      const ok = await this.o.store.renewLease(LEASE_NAME, this.o.holder, this.o.leaseTtlMs);
      if (!ok) {
        this.o.log.error('learner lease lost; stopping');
        this.stopped = true;
        this.wake?.();
      }
    } catch (error) {
      this.o.log.warn({ err: error }, 'lease renewal failed; will retry');
    }
  }
}
