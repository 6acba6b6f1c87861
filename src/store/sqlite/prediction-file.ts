import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type { PredictionRecord } from '../types.js';

/** Where a database's predictions live: beside it, like SQLite's own `-wal` and `-shm`. */
export function predictionsPath(path: string): string {
  return `${path}-predictions`;
}

interface PredictionRow {
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
 */
export class PredictionFile {
  private db: Database.Database | null = null;

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
      db.exec(`CREATE TABLE IF NOT EXISTS predictions (
        id TEXT PRIMARY KEY NOT NULL,
        model_id INTEGER NOT NULL,
        version INTEGER NOT NULL,
        features TEXT NOT NULL,
        output TEXT NOT NULL,
        created_at INTEGER NOT NULL
      )`);
    }
    this.db = db;
    return db;
  }

  log(predictions: readonly PredictionRecord[]): void {
    const db = this.open();
    if (db === null) throw new Error('the prediction log is read-only here');
    const insert = db.prepare(
      'INSERT OR IGNORE INTO predictions (id, model_id, version, features, output, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    db.transaction(() => {
      for (const p of predictions) {
        insert.run(p.id, p.modelId, p.version, JSON.stringify(p.features), JSON.stringify(p.output), p.createdAt);
      }
    })();
  }

  get(id: string): PredictionRecord | undefined {
    const db = this.open();
    if (db === null) return undefined;
    let row: PredictionRow | undefined;
    try {
      row = db.prepare('SELECT * FROM predictions WHERE id = ?').get(id) as PredictionRow | undefined;
    } catch (error) {
      // A read-only handle on a file whose table was never created.
      if (error instanceof Database.SqliteError && /no such table/.test(error.message)) return undefined;
      throw error;
    }
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

  close(): void {
    if (this.db?.open) this.db.close();
    this.db = null;
  }
}
