import type Database from 'better-sqlite3';
import { type EventRow, expandRows } from '../../src/store/sqlite/sqlite-store.js';
import type { LogEvent } from '../../src/store/types.js';

export type LearnEvent = Extract<LogEvent, { kind: 'learn' }>;

/**
 * The learn events in a database file, of one model or of all, as the learner reads them: batch
 * rows (learnMany) expanded into their examples, each under its own id.
 */
export function learnEventsIn(db: Database.Database, modelId?: number): LearnEvent[] {
  const rows = (
    modelId === undefined
      ? db.prepare('SELECT * FROM events ORDER BY id').all()
      : db.prepare('SELECT * FROM events WHERE model_id = ? ORDER BY id').all(modelId)
  ) as EventRow[];
  return expandRows(rows).filter((e): e is LearnEvent => e.kind === 'learn');
}
