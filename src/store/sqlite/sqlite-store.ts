import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { fileURLToPath } from 'node:url';
import type { Features, Json, Label } from '../../ml/base/types.js';
import { encodeBatches, type EncodedEvent, isPlainRow, MAX_BATCH_ROW, mergePlainRows } from '../encoded-event.js';
import { PredictionFile } from './prediction-file.js';
import type {
  ApiKeyEvent,
  ApiKeyRecord,
  AppendOutcome,
  AppendVersionOutcome,
  LeaseOutcome,
  LogEvent,
  ModelRecord,
  NewApiKey,
  NewEvent,
  NewVersion,
  PredictionRecord,
  PredictionRun,
  RevokeOutcome,
  Store,
  VersionRecord,
  VersionSummary,
} from '../types.js';
import { SqliteApiKeys } from './api-keys.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations', import.meta.url));

export interface SqliteOptions {
  /** `full` fsyncs every commit (survives power loss); `normal` survives process crashes only. @default 'full' */
  synchronous?: 'full' | 'normal';
  /** How long a writer waits for the database lock before failing. @default 5000 */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

interface ModelRow {
  id: number;
  name: string;
  spec: string;
  task: ModelRecord['task'];
  metrics: string;
  created_at: number;
}

/** A row of `events` as SQLite returns it (`SELECT *`). */
export interface EventRow {
  id: number;
  model_id: number;
  kind: EncodedEvent['kind'];
  features: string | null;
  label: string | null;
  prediction_id: string | null;
  served: string | null;
  reason: string | null;
  target_version: number | null;
  count: number;
}

interface VersionRow {
  model_id: number;
  number: number;
  parent: number | null;
  reason: VersionRecord['reason'];
  rollback_of: number | null;
  created_at: number;
  samples_learned: number;
  last_event_id: number;
  state?: string;
  sha256: string;
  metrics: string;
}

class AlreadyLabelled extends Error {
  constructor(readonly predictionId: string) {
    super('already labelled');
  }
}

function toModel(row: ModelRow): ModelRecord {
  return {
    id: row.id,
    name: row.name,
    spec: JSON.parse(row.spec) as Json,
    task: row.task,
    metrics: JSON.parse(row.metrics) as string[],
    createdAt: row.created_at,
  };
}

/** The events of `rows` (in id order) whose ids lie in (afterId, upTo]: what the learner reads. */
export function expandRows(rows: readonly EventRow[], afterId = 0, upTo = Number.POSITIVE_INFINITY): LogEvent[] {
  const out: LogEvent[] = [];
  for (const row of rows) expandRow(row, afterId, upTo, out);
  return out;
}

/**
 * The events a row stands for whose ids lie in (afterId, upTo], appended to `out`: one, or for a
 * batch row each of its examples, under ids counting up to the row's own.
 */
function expandRow(row: EventRow, afterId: number, upTo: number, out: LogEvent[]): void {
  if (row.kind !== 'batch') {
    if (row.id > afterId && row.id <= upTo) out.push(toEvent(row));
    return;
  }
  const first = row.id - row.count + 1;
  const from = Math.max(first, afterId + 1);
  const to = Math.min(row.id, upTo);
  if (from > to) return;
  const features = JSON.parse(row.features ?? '[]') as Features[];
  const labels = JSON.parse(row.label ?? '[]') as Label[];
  for (let id = from; id <= to; id++) {
    const i = id - first;
    out.push({ id, modelId: row.model_id, kind: 'learn', features: features[i], label: labels[i], predictionId: null, served: null });
  }
}

function toEvent(row: EventRow): LogEvent {
  if (row.kind === 'checkpoint') {
    return { id: row.id, modelId: row.model_id, kind: 'checkpoint', reason: row.reason === 'import' ? 'import' : 'manual' };
  }
  if (row.kind === 'rollback') {
    return { id: row.id, modelId: row.model_id, kind: 'rollback', targetVersion: row.target_version ?? 0 };
  }
  return {
    id: row.id,
    modelId: row.model_id,
    kind: 'learn',
    features: JSON.parse(row.features ?? '{}'),
    label: JSON.parse(row.label ?? 'null'),
    predictionId: row.prediction_id,
    served: row.served === null ? null : JSON.parse(row.served),
  };
}

function toVersion(row: VersionRow): VersionRecord {
  return {
    modelId: row.model_id,
    number: row.number,
    parent: row.parent,
    reason: row.reason,
    rollbackOf: row.rollback_of,
    createdAt: row.created_at,
    samplesLearned: row.samples_learned,
    lastEventId: row.last_event_id,
    state: row.state ?? '',
    sha256: row.sha256,
    metrics: JSON.parse(row.metrics),
  };
}

const SUMMARY_COLUMNS =
  'model_id, number, parent, reason, rollback_of, created_at, samples_learned, last_event_id, sha256, metrics';

/**
 * The embedded default: one SQLite file in WAL mode, shared by the learner and every server
 * process of one machine. The schema comes from drizzle-kit migrations; hot statements are
 * prepared once.
 */
export class SqliteStore implements Store {
  readonly db: Database.Database;
  private readonly statements;
  private readonly appendInSavepoint: (batch: readonly EncodedEvent[], now: number) => AppendOutcome[];
  private readonly appendAll: Database.Transaction<(batches: ReadonlyArray<readonly EncodedEvent[]>, now: number) => AppendOutcome[][]>;
  private readonly keys: SqliteApiKeys;
  private readonly predictionFile: PredictionFile;

  constructor(
    readonly path: string,
    options: SqliteOptions = {},
  ) {
    this.db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000, readonly: options.readonly ?? false });
    if (!options.readonly) this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    this.db.pragma('foreign_keys = ON');
    this.statements = this.prepare();
    this.appendInSavepoint = this.db.transaction((batch: readonly EncodedEvent[], now: number) => batch.flatMap((e) => this.appendRow(e, now)));
    this.appendAll = this.db.transaction((batches: ReadonlyArray<readonly EncodedEvent[]>, now: number) => this.appendRequests(batches, now));
    this.keys = new SqliteApiKeys(this.db);
    this.predictionFile = new PredictionFile(path, { busyTimeoutMs: options.busyTimeoutMs, readonly: options.readonly });
  }

  /** Brings the schema up to date. Run once, by the process that owns the database. */
  static migrate(path: string): void {
    const sqlite = new Database(path, { timeout: 10_000 });
    sqlite.pragma('journal_mode = WAL');
    migrate(drizzle(sqlite), { migrationsFolder: MIGRATIONS_DIR });
    sqlite.close();
  }

  private prepare() {
    const db = this.db;
    return {
      insertModel: db.prepare(
        'INSERT INTO models (name, spec, task, metrics, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING *',
      ),
      modelByName: db.prepare('SELECT * FROM models WHERE name = ?'),
      modelById: db.prepare('SELECT * FROM models WHERE id = ?'),
      models: db.prepare('SELECT * FROM models ORDER BY name'),
      insertEvent: db.prepare(
        `INSERT INTO events (model_id, kind, features, label, prediction_id, served, key, reason, target_version, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
      ),
      // A batch row takes the ids up to its own: the next ones past every id handed out so far,
      // which AUTOINCREMENT keeps in sqlite_sequence (it also records an id given explicitly, as here).
      insertBatch: db.prepare(
        `INSERT INTO events (id, model_id, kind, features, label, count, created_at)
         VALUES ((SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'events') + ?, ?, 'batch', ?, ?, ?, ?) RETURNING id`,
      ),
      eventByKey: db.prepare('SELECT id FROM events WHERE model_id = ? AND key = ?'),
      events: db.prepare('SELECT * FROM events WHERE id > ? ORDER BY id'),
      // Rows holding ids in (from, to]: a batch row ending past `to` may start at or before it,
      // and none spans more than MAX_BATCH_ROW ids, which bounds the index range.
      modelEvents: db.prepare('SELECT * FROM events WHERE model_id = ? AND id > ? AND id < ? AND id - count < ? ORDER BY id'),
      maxEventId: db.prepare('SELECT coalesce(max(id), 0) AS id FROM events'),
      countAfter: db.prepare(
        'SELECT coalesce(sum(CASE WHEN id - count < ? THEN id - ? ELSE count END), 0) AS n FROM events WHERE model_id = ? AND id > ?',
      ),
      latestVersion: db.prepare('SELECT * FROM model_versions WHERE model_id = ? ORDER BY number DESC LIMIT 1'),
      version: db.prepare('SELECT * FROM model_versions WHERE model_id = ? AND number = ?'),
      versions: db.prepare(
        `SELECT ${SUMMARY_COLUMNS} FROM model_versions WHERE model_id = ? AND number < ? ORDER BY number DESC LIMIT ?`,
      ),
      maxVersion: db.prepare('SELECT coalesce(max(number), 0) AS n FROM model_versions WHERE model_id = ?'),
      insertVersion: db.prepare(
        `INSERT INTO model_versions (model_id, number, parent, reason, rollback_of, created_at, samples_learned,
           last_event_id, state, sha256, metrics) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      lease: db.prepare('SELECT holder, expires_at FROM leases WHERE name = ?'),
      upsertLease: db.prepare(
        `INSERT INTO leases (name, holder, expires_at, acquired_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
           acquired_at = excluded.acquired_at`,
      ),
      renewLease: db.prepare('UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ? AND expires_at > ?'),
      releaseLease: db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?'),
    };
  }

  async createModel(model: Omit<ModelRecord, 'id' | 'createdAt'>, initial: Omit<NewVersion, 'modelId'>) {
    const s = this.statements;
    const now = Date.now();
    return this.db
      .transaction(() => {
        const row = s.insertModel.get(model.name, JSON.stringify(model.spec), model.task, JSON.stringify(model.metrics), now) as
          | ModelRow
          | undefined;
        if (row === undefined) return { status: 'exists' as const };
        // A new model has no events yet: its first version covers the log as it stands.
        const lastEventId = (s.maxEventId.get() as { id: number }).id;
        const version = this.insertVersionRow({ ...initial, lastEventId, modelId: row.id, createdAt: now }, 1);
        return { status: 'created' as const, model: toModel(row), version };
      })
      .immediate();
  }

  async getModel(name: string) {
    const row = this.statements.modelByName.get(name) as ModelRow | undefined;
    return row && toModel(row);
  }

  async getModelById(id: number) {
    const row = this.statements.modelById.get(id) as ModelRow | undefined;
    return row && toModel(row);
  }

  async listModels() {
    return (this.statements.models.all() as ModelRow[]).map(toModel);
  }

  async appendEvents(batches: ReadonlyArray<readonly NewEvent[]>): Promise<AppendOutcome[][]> {
    return this.appendEncoded(encodeBatches(batches));
  }

  /**
   * Appends events already encoded (encoded-event.ts): one transaction for all the batches (the
   * requests of a group commit), each all-or-nothing within it. Consecutive requests of one plain
   * example each (single learns) share batch rows: no such example can be refused on its own,
   * and a row costs the writer, and the learner reading it back, more than the example.
   */
  appendEncoded(batches: ReadonlyArray<readonly EncodedEvent[]>): AppendOutcome[][] {
    return this.appendAll.immediate(batches, Date.now());
  }

  /** appendEncoded's transaction body (wrapped once: better-sqlite3 builds a wrapper per `transaction` call). */
  private appendRequests(batches: ReadonlyArray<readonly EncodedEvent[]>, now: number): AppendOutcome[][] {
    const single = (i: number) => batches[i].length === 1 && isPlainRow(batches[i][0]);
    const outcomes: AppendOutcome[][] = [];
    for (let i = 0; i < batches.length; ) {
      let end = i;
      while (end < batches.length && single(end)) end++;
      if (end === i) {
        outcomes.push(this.appendRequest(batches[i], now));
        i++;
        continue;
      }
      // Each example's outcome goes back to the request it came from, in order.
      for (const row of mergePlainRows(batches.slice(i, end).map((b) => b[0]))) {
        for (const outcome of this.appendRow(row, now)) outcomes.push([outcome]);
      }
      i = end;
    }
    return outcomes;
  }

  /** One request, in a savepoint: if one of its predictions is already labelled, none of it is kept. */
  private appendRequest(batch: readonly EncodedEvent[], now: number): AppendOutcome[] {
    try {
      return this.appendInSavepoint(batch, now);
    } catch (error) {
      if (!(error instanceof AlreadyLabelled)) throw error;
      const refused: AppendOutcome = { status: 'already-labelled', predictionId: error.predictionId };
      return batch.flatMap((e) => Array.from({ length: e.count }, () => refused));
    }
  }

  /** The outcomes of one row: one per example it holds. */
  private appendRow(e: EncodedEvent, now: number): AppendOutcome[] {
    if (e.kind !== 'batch') return [this.appendOne(e, now)];
    const { id } = this.statements.insertBatch.get(e.count, e.modelId, e.features, e.label, e.count, now) as { id: number };
    const outcomes: AppendOutcome[] = [];
    for (let i = id - e.count + 1; i <= id; i++) outcomes.push({ status: 'appended', id: i });
    return outcomes;
  }

  private appendOne(e: EncodedEvent, now: number): AppendOutcome {
    const s = this.statements;
    const row = s.insertEvent.get(e.modelId, e.kind, e.features, e.label, e.predictionId, e.served, e.key, e.reason, e.targetVersion, now) as
      | { id: number }
      | undefined;
    if (row !== undefined) return { status: 'appended', id: row.id };
    // Only a learn can conflict: on its idempotency key, or on a prediction already labelled.
    if (e.key !== null) {
      const earlier = s.eventByKey.get(e.modelId, e.key) as { id: number } | undefined;
      if (earlier !== undefined) return { status: 'duplicate', id: earlier.id };
    }
    throw new AlreadyLabelled(e.predictionId ?? '');
  }

  async readEvents(afterId: number, limit: number) {
    const out: LogEvent[] = [];
    // Whole rows until `limit` events: a batch row can hold up to MAX_BATCH_ROW of them.
    for (const row of this.statements.events.iterate(afterId) as IterableIterator<EventRow>) {
      expandRow(row, afterId, Number.POSITIVE_INFINITY, out);
      if (out.length >= limit) break;
    }
    return out;
  }

  async readModelEvents(modelId: number, fromId: number, toId: number) {
    const rows = this.statements.modelEvents.all(modelId, fromId, toId + MAX_BATCH_ROW, toId) as EventRow[];
    return expandRows(rows, fromId, toId);
  }

  async maxEventId() {
    return (this.statements.maxEventId.get() as { id: number }).id;
  }

  async countEventsAfter(modelId: number, afterId: number) {
    return (this.statements.countAfter.get(afterId, afterId, modelId, afterId) as { n: number }).n;
  }

  async latestVersion(modelId: number) {
    const row = this.statements.latestVersion.get(modelId) as VersionRow | undefined;
    return row && toVersion(row);
  }

  async getVersion(modelId: number, number: number) {
    const row = this.statements.version.get(modelId, number) as VersionRow | undefined;
    return row && toVersion(row);
  }

  async listVersions(modelId: number, first: number, before?: number): Promise<VersionSummary[]> {
    const rows = this.statements.versions.all(modelId, before ?? Number.MAX_SAFE_INTEGER, first) as VersionRow[];
    return rows.map((row) => {
      const { state: _state, ...summary } = toVersion(row);
      return summary;
    });
  }

  private insertVersionRow(v: NewVersion & { createdAt: number }, number: number): VersionRecord {
    this.statements.insertVersion.run(
      v.modelId,
      number,
      v.parent,
      v.reason,
      v.rollbackOf,
      v.createdAt,
      v.samplesLearned,
      v.lastEventId,
      v.state,
      v.sha256,
      JSON.stringify(v.metrics),
    );
    return { ...v, number };
  }

  async appendVersion(version: NewVersion, holder: string): Promise<AppendVersionOutcome> {
    const s = this.statements;
    const now = Date.now();
    try {
      return this.db
        .transaction((): AppendVersionOutcome => {
          // The lease is checked inside the write transaction: a learner whose lease was taken
          // over cannot append even one more version.
          const lease = s.lease.get('learner') as { holder: string; expires_at: number } | undefined;
          if (lease === undefined || lease.holder !== holder || lease.expires_at <= now) {
            return { status: 'lease-lost', holder: lease?.holder ?? null };
          }
          const next = (s.maxVersion.get(version.modelId) as { n: number }).n + 1;
          const stored = this.insertVersionRow({ ...version, createdAt: version.createdAt ?? now }, next);
          return { status: 'appended', version: stored };
        })
        .immediate();
    } catch (error) {
      if (error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_UNIQUE') return { status: 'conflict' };
      throw error;
    }
  }

  async logPredictions(runs: readonly PredictionRun[]) {
    this.predictionFile.log(runs);
  }

  async getPrediction(id: string): Promise<PredictionRecord | undefined> {
    return this.predictionFile.get(id);
  }

  async acquireLease(name: string, holder: string, ttlMs: number, takeOverFrom?: string): Promise<LeaseOutcome> {
    const s = this.statements;
    return this.db
      .transaction((): LeaseOutcome => {
        const now = Date.now();
        const current = s.lease.get(name) as { holder: string; expires_at: number } | undefined;
        const free =
          current === undefined ||
          current.expires_at <= now ||
          current.holder === holder ||
          (takeOverFrom !== undefined && current.holder === takeOverFrom);
        if (!free) return { status: 'held', holder: current.holder, expiresAt: current.expires_at };
        s.upsertLease.run(name, holder, now + ttlMs, now);
        return { status: 'acquired' };
      })
      .immediate();
  }

  async renewLease(name: string, holder: string, ttlMs: number) {
    const now = Date.now();
    return this.statements.renewLease.run(now + ttlMs, name, holder, now).changes === 1;
  }

  async releaseLease(name: string, holder: string) {
    this.statements.releaseLease.run(name, holder);
  }

  async leaseHolder(name: string) {
    const row = this.statements.lease.get(name) as { holder: string; expires_at: number } | undefined;
    return row && { holder: row.holder, expiresAt: row.expires_at };
  }

  async createApiKey(key: NewApiKey): Promise<ApiKeyRecord> {
    return this.keys.create(key);
  }

  async getApiKey(id: string): Promise<ApiKeyRecord | undefined> {
    return this.keys.get(id);
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return this.keys.list();
  }

  async revokeApiKey(id: string, actor: string | null): Promise<RevokeOutcome> {
    return this.keys.revoke(id, actor);
  }

  async hasApiKeys(): Promise<boolean> {
    return this.keys.any();
  }

  async listApiKeyEvents(): Promise<ApiKeyEvent[]> {
    return this.keys.events();
  }

  async close() {
    this.predictionFile.close();
    if (this.db.open) this.db.close();
  }
}
