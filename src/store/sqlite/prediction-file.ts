import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { decodePrediction, parsePredictionId, slotOf } from '../prediction-run.js';
import type { PredictionRecord, PredictionRun } from '../types.js';

/** Where a database's predictions live: beside it, like SQLite's own `-wal` and `-shm`. */
export function predictionsPath(path: string): string {
  return `${path}-predictions`;
}

interface LegacyRow {
  id: string;
  model_id: number;
  version: number;
  features: string;
  output: string;
  created_at: number;
}

/**
 * The log of served predictions, in a SQLite file of its own. Predictions are written at the
 * rate of predict requests and nobody waits for them; in the main database they took the same
 * write lock as acknowledged learns and stalled them. Losing the newest of them in a power cut
 * costs late labels, never an acknowledged one, so this file is never fsynced per commit.
 *
 * Each row is a run of consecutive predictions of one source (prediction-run.ts). Files written
 * before runs existed keep a `predictions` table with a row per prediction, keyed by UUID; those
 * ids are still found there.
 */
export class PredictionFile {
  private db: Database.Database | null = null;
  /** Prepared once per connection: a late label looks a prediction up on the request's path. */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly path: string,
    private readonly options: { busyTimeoutMs?: number; readonly?: boolean },
  ) {}

  /** Opened on first use: most processes (the learner, the CLI) never touch predictions. */
  private open(): Database.Database | null {
    if (this.db !== null) return this.db;
    const path = predictionsPath(this.path);
    if (this.options.readonly && !existsSync(path)) return null;
    const db = new Database(path, { timeout: this.options.busyTimeoutMs ?? 5000, readonly: this.options.readonly ?? false });
    if (!this.options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec(`CREATE TABLE IF NOT EXISTS prediction_runs (
        source TEXT NOT NULL,
        first_seq INTEGER NOT NULL,
        count INTEGER NOT NULL,
        ends BLOB NOT NULL,
        payload BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (source, first_seq)
      )`);
    }
    this.db = db;
    return db;
  }

  log(runs: readonly PredictionRun[]): void {
    const db = this.open();
    if (db === null) throw new Error('the prediction log is read-only here');
    const insert = this.prepared(
      db,
      'INSERT OR IGNORE INTO prediction_runs (source, first_seq, count, ends, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    db.transaction(() => {
      for (const r of runs) insert.run(r.source, r.firstSeq, r.count, r.ends, r.payload, r.createdAt);
    })();
  }

  get(id: string): PredictionRecord | undefined {
    const db = this.open();
    if (db === null) return undefined;
    const parts = parsePredictionId(id);
    try {
      if (parts === undefined) return this.legacy(db, id);
      const run = this.prepared(
        db,
        'SELECT first_seq, count, ends FROM prediction_runs WHERE source = ? AND first_seq <= ? ORDER BY first_seq DESC LIMIT 1',
      ).get(parts.source, parts.seq) as { first_seq: number; count: number; ends: Buffer } | undefined;
      if (run === undefined || parts.seq >= run.first_seq + run.count) return undefined;
      const slot = slotOf(run.ends, parts.seq - run.first_seq);
      if (slot === undefined) return undefined;
      // substr of a BLOB counts bytes (1-based): only this prediction's bytes are copied out.
      const bytes = this.prepared(db, 'SELECT substr(payload, ?, ?) FROM prediction_runs WHERE source = ? AND first_seq = ?')
        .pluck()
        .get(slot.start + 1, slot.length, parts.source, run.first_seq) as Buffer;
      return decodePrediction({ ...parts, id }, bytes);
    } catch (error) {
      // A read-only handle on a file whose table was never created.
      if (error instanceof Database.SqliteError && /no such table/.test(error.message)) return undefined;
      throw error;
    }
  }

  /**
   * Forgets predictions served before `cutoffMs` (ms since the epoch): at most `limit` runs, each
   * only once its newest prediction is that old. Returns how many rows went (runs, and rows of a
   * file written before runs existed), so a caller can come back for the rest.
   */
  prune(cutoffMs: number, limit: number): number {
    const db = this.open();
    if (db === null) return 0;
    const runs = 'DELETE FROM prediction_runs WHERE rowid IN (SELECT rowid FROM prediction_runs WHERE created_at < ? LIMIT ?)';
    let deleted = this.prepared(db, runs).run(cutoffMs, limit).changes;
    const legacy = this.prepared(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'predictions'").get();
    if (legacy !== undefined && deleted < limit) {
      const rows = 'DELETE FROM predictions WHERE rowid IN (SELECT rowid FROM predictions WHERE created_at < ? LIMIT ?)';
      deleted += this.prepared(db, rows).run(cutoffMs, limit - deleted).changes;
    }
    return deleted;
  }

  private legacy(db: Database.Database, id: string): PredictionRecord | undefined {
    const row = this.prepared(db, 'SELECT * FROM predictions WHERE id = ?').get(id) as LegacyRow | undefined;
    if (row === undefined) return undefined;
    return {
      id: row.id,
      modelId: row.model_id,
      version: row.version,
      features: JSON.parse(row.features),
      output: JSON.parse(row.output),
      createdAt: row.created_at,
    };
  }

  private prepared(db: Database.Database, sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  close(): void {
    this.statements.clear();
    if (this.db?.open) this.db.close();
    this.db = null;
  }
}
