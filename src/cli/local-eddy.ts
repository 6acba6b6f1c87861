import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { pino, type Logger } from 'pino';
import { auditVersion, type AuditResult } from '../learner/audit.js';
import { Learner, LeaseHeldError, type LearnerOptions } from '../learner/learner.js';
import type { LearnerMessage } from '../learner/messages.js';
import { sha256 } from '../learner/model-state.js';
import { DomainError } from '../serving/errors.js';
import { EddyService } from '../serving/eddy-service.js';
import { LocalLink } from '../serving/learner-link.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { ModelRecord, NewEvent } from '../store/types.js';
import { CliError } from './cli-error.js';
import type { EddyAccess } from './eddy-access.js';
import { fromStore, type VersionView } from './version-view.js';

export interface LocalOptions {
  /** Create the database when the file does not exist (otherwise that is an error). @default false */
  create?: boolean;
  /** Run a learner in-process (needed to write versions), with these options. @default false */
  learner?: boolean | Partial<Pick<LearnerOptions, 'checkpointEvery' | 'checkpointIntervalMs'>>;
}

/** Quiet unless EDDY_DEBUG is set: a command's output is its own, on stdout. */
function cliLogger(): Logger {
  return pino({ level: process.env.EDDY_DEBUG ? 'debug' : 'silent', base: { role: 'cli', pid: process.pid } }, pino.destination(2));
}

/**
 * eddy on a database file with no server: the store for reading, and for writing a `Learner` in
 * this process, exactly the one a server runs. Writes go through the log as they would through a
 * server (append an event, let the learner apply it), so a version written here is audited like
 * any other. The learner takes the lease, so this is refused while a server is running.
 */
export class LocalEddy implements EddyAccess {
  private readonly listeners = new Set<(message: LearnerMessage) => void>();
  private service: EddyService | null = null;

  private constructor(
    readonly path: string,
    readonly store: SqliteStore,
    private readonly link: LocalLink,
    private readonly log: Logger,
    private readonly learner: Learner | null,
  ) {
    link.onMessage((message) => {
      for (const listener of this.listeners) listener(message);
    });
  }

  /** Migrates the file (idempotent), opens it, and starts the learner when asked to. */
  static async open(path: string, options: LocalOptions = {}): Promise<LocalEddy> {
    if (!options.create && !existsSync(path)) {
      throw new CliError(`no database at ${path} (give --db FILE, or --url for a running server)`);
    }
    let store: SqliteStore;
    try {
      SqliteStore.migrate(path);
      store = new SqliteStore(path);
    } catch (error) {
      throw new CliError(`cannot open the database ${path}: ${(error as Error).message}`);
    }
    const log = cliLogger();
    const link = new LocalLink();
    let learner: Learner | null = null;
    if (options.learner) {
      const tuning = typeof options.learner === 'object' ? options.learner : {};
      learner = new Learner({
        store,
        holder: `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}/cli`,
        log,
        publish: (message) => link.publish(message),
        ...tuning,
      });
      const started = learner;
      link.nudgeTarget = (max) => started.nudge(max);
    }
    // Listening before the learner starts, so no announcement is missed.
    const eddy = new LocalEddy(path, store, link, log, learner);
    if (learner !== null) {
      try {
        await learner.start();
      } catch (error) {
        await store.close();
        if (error instanceof LeaseHeldError) {
          throw new CliError(`a server is using ${path} (its learner ${error.holder} holds the lease); use --url to go through it`);
        }
        throw error;
      }
      // A failed loop announces itself ('stopped') and close() awaits it: not an unhandled rejection.
      learner.done.catch(() => {});
    }
    return eddy;
  }

  /** Hears the learner: progress after each batch it applies, and each version it writes. */
  onMessage(listener: (message: LearnerMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells the learner that events up to `maxEventId` are committed. */
  nudge(maxEventId: number): void {
    this.link.nudge(maxEventId);
  }

  async model(name: string): Promise<ModelRecord> {
    const record = await this.store.getModel(name);
    if (record === undefined) throw new CliError(`model ${name} not found`);
    return record;
  }

  /** Creates a model as the `createModel` mutation does (same checks, same first version). */
  async createModel(name: string, spec: unknown, metrics: readonly string[]): Promise<ModelRecord> {
    this.service ??= new EddyService({ store: this.store, link: this.link, log: this.log });
    try {
      return await this.service.createModel(name, spec, metrics);
    } catch (error) {
      if (error instanceof DomainError) {
        const what = error.code === 'INVALID_SPEC' ? 'invalid --spec: ' : error.code === 'INVALID_METRIC' ? 'invalid --metric: ' : '';
        throw new CliError(`${what}${error.message}`);
      }
      throw error;
    }
  }

  async versions(name: string, first: number, before?: number): Promise<VersionView[]> {
    const record = await this.model(name);
    return (await this.store.listVersions(record.id, first, before)).map(fromStore);
  }

  async latestVersion(name: string): Promise<number> {
    const record = await this.model(name);
    const latest = await this.store.latestVersion(record.id);
    if (latest === undefined) throw new CliError(`model ${name} has no version`);
    return latest.number;
  }

  async rollback(name: string, version: number): Promise<VersionView> {
    const record = await this.model(name);
    const target = await this.store.getVersion(record.id, version);
    if (target === undefined) throw new CliError(`model ${name} has no version ${version}`);
    if (sha256(target.state) !== target.sha256) {
      throw new CliError(`model ${name} version ${version} does not match its sha256 (tampered or corrupt); it cannot be restored`);
    }
    return this.requestVersion(record, { modelId: record.id, kind: 'rollback', targetVersion: version });
  }

  async audit(name: string, version: number): Promise<AuditResult> {
    const record = await this.model(name);
    const result = await auditVersion(this.store, record, version);
    if (result === undefined) throw new CliError(`model ${name} has no version ${version}`);
    return result;
  }

  /**
   * Appends a checkpoint or rollback event and waits for the version the learner writes for it
   * (after it has applied everything before it in the log).
   */
  async requestVersion(record: ModelRecord, event: NewEvent): Promise<VersionView> {
    const learner = this.learner;
    if (learner === null) throw new Error('requestVersion needs the learner');
    let off = () => {};
    const written = new Promise<VersionView>((resolve, reject) => {
      let eventId = Number.POSITIVE_INFINITY;
      let newest: VersionView | undefined;
      off = this.onMessage((m) => {
        if (m.type === 'version' && m.model === record.name) {
          newest = fromStore(m.version);
          if (newest.lastEventId >= eventId) resolve(newest);
        }
        if (m.type === 'stopped') reject(new CliError(`the learner stopped before writing the version: ${m.reason}`, 1));
      });
      learner.done.then(
        () => reject(new CliError('the learner stopped before writing the version (its lease was taken over?)', 1)),
        (error: unknown) => reject(new CliError(`the learner stopped: ${(error as Error).message}`, 1)),
      );
      this.store.appendEvents([[event]]).then(([[outcome]]) => {
        if (outcome.status !== 'appended') return reject(new Error(`the ${event.kind} event was not appended: ${outcome.status}`));
        eventId = outcome.id;
        // The learner may have got to it already, between the commit and this callback.
        if (newest !== undefined && newest.lastEventId >= eventId) resolve(newest);
        else this.nudge(eventId);
      }, reject);
    });
    try {
      return await written;
    } finally {
      off();
    }
  }

  /** Stops the learner (it applies what is committed, writes a version of changed models, releases the lease). */
  async close(): Promise<void> {
    try {
      await this.learner?.stop();
    } catch {
      // The loop had already failed (and said why); the log still holds every event.
    }
    await this.service?.close();
    await this.store.close();
  }
}
