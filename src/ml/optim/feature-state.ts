import { Column } from '../base/column.js';
import { asNumberRecord } from '../base/snapshot.js';
import type { Json, JsonObject } from '../base/types.js';
import type { Vocabulary } from '../base/vocabulary.js';

/** A per-feature column as JSON keyed by feature name (only the features ever written). */
export function columnState(column: Column, names: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const id of column.ids()) out[names[id]] = column.get(id);
  return out;
}

/** Rebuilds a column from `columnState`'s JSON, interning the names. */
export function restoreColumn(value: Json | undefined, what: string, vocabulary: Vocabulary): Column {
  const record = asNumberRecord(value ?? {}, what);
  const column = new Column();
  for (const name of Object.keys(record)) column.set(vocabulary.intern(name), record[name]);
  return column;
}

/**
 * Marks the features of the gradient being applied, so that a vector-form step can tell the
 * features with state that the sample lacks. Cleared after each step; allocates only to grow.
 */
export class PresenceMask {
  private flags = new Uint8Array(16);

  mark(ids: Int32Array, size: number): void {
    for (let i = 0; i < size; i++) {
      const id = ids[i];
      if (id >= this.flags.length) this.grow(id + 1);
      this.flags[id] = 1;
    }
  }

  has(id: number): boolean {
    return id < this.flags.length && this.flags[id] === 1;
  }

  clear(ids: Int32Array, size: number): void {
    for (let i = 0; i < size; i++) this.flags[ids[i]] = 0;
  }

  private grow(minimum: number): void {
    let capacity = this.flags.length * 2;
    while (capacity < minimum) capacity *= 2;
    const flags = new Uint8Array(capacity);
    flags.set(this.flags);
    this.flags = flags;
  }
}
