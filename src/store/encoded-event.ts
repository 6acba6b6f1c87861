import type { NewEvent } from './types.js';

/**
 * An event as the log stores it: its JSON fields already text. Events are encoded where a
 * request was read (a server process), so what crosses to the machine's one writer is a few
 * strings rather than an object graph to serialise twice, and the writer, which every learn
 * waits on, spends its time inserting rather than stringifying.
 */
export interface EncodedEvent {
  modelId: number;
  kind: NewEvent['kind'];
  features: string | null;
  label: string | null;
  predictionId: string | null;
  served: string | null;
  key: string | null;
  reason: string | null;
  targetVersion: number | null;
}

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
      };
    case 'checkpoint':
      return { ...CONTROL, modelId: e.modelId, kind: 'checkpoint', reason: e.reason };
    case 'rollback':
      return { ...CONTROL, modelId: e.modelId, kind: 'rollback', targetVersion: e.targetVersion };
  }
}

const CONTROL = { features: null, label: null, predictionId: null, served: null, key: null, reason: null, targetVersion: null };

export function encodeBatches(batches: ReadonlyArray<readonly NewEvent[]>): EncodedEvent[][] {
  return batches.map((batch) => batch.map(encodeEvent));
}
