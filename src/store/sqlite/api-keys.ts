import type Database from 'better-sqlite3';
import type { ApiKeyEvent, ApiKeyRecord, ApiKeyRole, NewApiKey, RevokeOutcome } from '../types.js';

interface KeyRow {
  id: string;
  role: ApiKeyRole;
  models: string | null;
  salt: string;
  hash: string;
  note: string | null;
  created_at: number;
  created_by: string | null;
  revoked_at: number | null;
  revoked_by: string | null;
}

interface KeyEventRow {
  id: number;
  key_id: string;
  kind: ApiKeyEvent['kind'];
  role: ApiKeyRole;
  models: string | null;
  actor: string | null;
  at: number;
}

function toKey(row: KeyRow): ApiKeyRecord {
  return {
    id: row.id,
    role: row.role,
    models: row.models === null ? null : (JSON.parse(row.models) as string[]),
    salt: row.salt,
    hash: row.hash,
    note: row.note,
    createdAt: row.created_at,
    createdBy: row.created_by,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
  };
}

/**
 * The `api_keys` table and its audit log (`api_key_events`, filled by triggers: see
 * migrations/0003). Part of SqliteStore, kept apart because nothing else touches these tables.
 */
export class SqliteApiKeys {
  private prepared: ReturnType<SqliteApiKeys['prepare']> | undefined;

  constructor(private readonly db: Database.Database) {}

  /**
   * Prepared on first use, not in the constructor: a read-only store opened on a database from
   * before these tables existed must still open.
   */
  private get statements() {
    this.prepared ??= this.prepare();
    return this.prepared;
  }

  private prepare() {
    const db = this.db;
    return {
      insert: db.prepare(
        `INSERT INTO api_keys (id, role, models, salt, hash, note, created_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      ),
      byId: db.prepare('SELECT * FROM api_keys WHERE id = ?'),
      all: db.prepare('SELECT * FROM api_keys ORDER BY created_at, id'),
      revoke: db.prepare('UPDATE api_keys SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL RETURNING *'),
      any: db.prepare('SELECT EXISTS (SELECT 1 FROM api_keys) AS any'),
      events: db.prepare('SELECT * FROM api_key_events ORDER BY id'),
    };
  }

  create(key: NewApiKey): ApiKeyRecord {
    const s = this.statements;
    const models = key.models === null ? null : JSON.stringify(key.models);
    const row = s.insert.get(key.id, key.role, models, key.salt, key.hash, key.note, Date.now(), key.createdBy) as KeyRow;
    return toKey(row);
  }

  get(id: string): ApiKeyRecord | undefined {
    const row = this.statements.byId.get(id) as KeyRow | undefined;
    return row && toKey(row);
  }

  list(): ApiKeyRecord[] {
    return (this.statements.all.all() as KeyRow[]).map(toKey);
  }

  revoke(id: string, actor: string | null): RevokeOutcome {
    const s = this.statements;
    return this.db
      .transaction((): RevokeOutcome => {
        const revoked = s.revoke.get(Date.now(), actor, id) as KeyRow | undefined;
        if (revoked !== undefined) return { status: 'revoked', key: toKey(revoked) };
        const existing = s.byId.get(id) as KeyRow | undefined;
        return existing === undefined ? { status: 'not-found' } : { status: 'already-revoked', key: toKey(existing) };
      })
      .immediate();
  }

  any(): boolean {
    return (this.statements.any.get() as { any: number }).any === 1;
  }

  events(): ApiKeyEvent[] {
    return (this.statements.events.all() as KeyEventRow[]).map((row) => ({
      id: row.id,
      keyId: row.key_id,
      kind: row.kind,
      role: row.role,
      models: row.models === null ? null : (JSON.parse(row.models) as string[]),
      actor: row.actor,
      at: row.at,
    }));
  }
}
