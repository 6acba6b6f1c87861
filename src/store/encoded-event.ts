import type { NewEvent } from './types.js';

/**
 * An event as the log stores it: its JSON fields already text. Events are encoded where a
 * request was read (a server process), so what crosses to the machine's one writer is a few
 * strings rather than an object graph to serialise twice, and the writer, which every learn
 * waits on, spends its time inserting rather than stringifying.
 *
 * Consecutive plain examples of one request (learnMany without keys or predictions) become one
 * `batch` row of up to MAX_BATCH_ROW examples: SQLite costs the writer ~7 µs per row, which
 * capped learnMany near 50k examples a second on two cores, and the learner reads one row back
 * instead of a thousand.
 */
export interface EncodedEvent {
  modelId: number;
  kind: 'learn' | 'batch' | 'checkpoint' | 'rollback';
  /** JSON features (learn), or a JSON array of them (batch). */
  features: string | null;
  /** JSON label (learn), or a JSON array of them (batch). */
  label: string | null;
  predictionId: string | null;
  served: string | null;
  key: string | null;
  reason: string | null;
  targetVersion: number | null;
  /** How many examples (events, and ids) the row stands for: 1 but for a batch. */
  count: number;
}

/** Most examples one batch row holds; bounds how far past its end a range of ids must look. */
export const MAX_BATCH_ROW = 1000;

const CONTROL = { features: null, label: null, predictionId: null, served: null, key: null, reason: null, targetVersion: null, count: 1 };

export function encodeEvent(e: NewEvent): EncodedEvent {
  switch (e.kind) {
    case 'learn':
      return {
        modelId: e.modelId,
        kind: 'learn',
        features: JSON.stringify(e.features),
        label: JSON.stringify(e.label),
        predictionId: e.predictionId,
        served: e.served === null ? null : JSON.stringify(e.served),
        key: e.key,
        reason: null,
        targetVersion: null,
        count: 1,
      };
    case 'checkpoint':
      return { ...CONTROL, modelId: e.modelId, kind: 'checkpoint', reason: e.reason };
    case 'rollback':
      return { ...CONTROL, modelId: e.modelId, kind: 'rollback', targetVersion: e.targetVersion };
  }
}

/** Whether a row is one plain example (a learn with no key and no prediction): it may share a batch row. */
export function isPlainRow(row: EncodedEvent): boolean {
  return row.kind === 'learn' && row.key === null && row.predictionId === null && row.served === null;
}

/**
 * Rows in order, with each run of consecutive plain rows of one model (isPlainRow) joined into
 * batch rows of at most MAX_BATCH_ROW examples; the counts still add up to the rows given.
 */
export function mergePlainRows(rows: readonly EncodedEvent[]): EncodedEvent[] {
  const merged: EncodedEvent[] = [];
  let run: EncodedEvent[] = [];
  const flush = () => {
    if (run.length === 1) merged.push(run[0]);
    else if (run.length > 1) merged.push(batchRow(run));
    run = [];
  };
  for (const row of rows) {
    if (!isPlainRow(row)) {
      flush();
      merged.push(row);
      continue;
    }
    if (run.length > 0 && (run[0].modelId !== row.modelId || run.length === MAX_BATCH_ROW)) flush();
    run.push(row);
  }
  flush();
  return merged;
}

function batchRow(run: readonly EncodedEvent[]): EncodedEvent {
  return {
    ...CONTROL,
    modelId: run[0].modelId,
    kind: 'batch',
    features: `[${run.map((r) => r.features).join(',')}]`,
    label: `[${run.map((r) => r.label).join(',')}]`,
    count: run.length,
  };
}

/** One request's events as rows, in order (its plain examples in batch rows). */
export function encodeBatch(batch: readonly NewEvent[]): EncodedEvent[] {
  return mergePlainRows(batch.map(encodeEvent));
}

export function encodeBatches(batches: ReadonlyArray<readonly NewEvent[]>): EncodedEvent[][] {
  return batches.map(encodeBatch);
}
