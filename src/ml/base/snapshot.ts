import type { Json, JsonObject } from './types.js';

/**
 * The persisted form of any estimator, transformer, metric or optimizer: what it is (`kind`,
 * River's class name), how it was configured (`params`, the step spec with every default filled
 * in) and what it has learned (`state`). Nested components nest as snapshots of their own.
 */
export interface Snapshot {
  kind: string;
  schemaVersion: number;
  params: JsonObject;
  state: Json;
}

/** Anything that can be persisted and restored exactly. */
export interface Snapshotable {
  /** River's class name. */
  readonly kind: string;
  /** The complete spec (`{ type, ...params }`) that rebuilds an untrained copy. */
  toSpec(): JsonObject;
  /** The learned state, JSON-safe. Restoring it with `setState` and continuing gives the same bytes. */
  getState(): Json;
  setState(state: Json): void;
}

export const SCHEMA_VERSION = 1;

/**
 * The snapshot of a step or a metric, `{ kind, schemaVersion, params, state }`: what versions store.
 *
 * @example
 * const scaler = new preprocessing.StandardScaler();
 * scaler.learnOne({ x: 1 });
 * scaler.learnOne({ x: 3 });
 * const snapshot = base.snapshotOf(scaler);
 * snapshot.params; // => { withStd: true }
 * snapshot.state; // => { counts: { x: 2 }, means: { x: 2 }, vars: { x: 1 } } (ours)
 */
export function snapshotOf(item: Snapshotable): Snapshot {
  const { type: _type, ...params } = item.toSpec();
  return { kind: item.kind, schemaVersion: SCHEMA_VERSION, params, state: item.getState() };
}

/** Narrowing helpers for restoring states that were produced by `getState`. */
export function asObject(state: Json, what: string): JsonObject {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) {
    throw new TypeError(`${what}: expected an object state`);
  }
  return state;
}

export function asNumber(value: Json | undefined, what: string): number {
  if (typeof value !== 'number') throw new TypeError(`${what}: expected a number`);
  return value;
}

export function asArray(value: Json | undefined, what: string): Json[] {
  if (!Array.isArray(value)) throw new TypeError(`${what}: expected an array`);
  return value;
}

export function asNumberRecord(value: Json | undefined, what: string): Record<string, number> {
  const object = asObject(value ?? null, what);
  for (const key in object) asNumber(object[key], `${what}.${key}`);
  return object as Record<string, number>;
}
