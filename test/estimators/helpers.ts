/** Small tools for the generic estimator checks. */
import { canonicalJson } from '../../src/ml/base/canonical-json.js';
import type { ClassLabel, Features, Json, JsonObject, Label, Probabilities } from '../../src/ml/base/types.js';
import type { Pipeline } from '../../src/ml/compose/pipeline.js';
import { buildModel, normalizedSpec } from '../../src/ml/spec/model-spec.js';

/** Freezes a value and everything inside it, so any write by the code under test throws. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** A seeded generator (mulberry32), so every shuffle and drop is the same on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** `x` with its keys in another order (River's check_shuffle_features_no_impact). */
export function shuffleFeatures(x: Features, rand: () => number): Features {
  const out: Record<string, Features[string]> = {};
  for (const key of shuffled(Object.keys(x), rand)) out[key] = x[key];
  return deepFreeze(out);
}

/** `x` without `drop` of its features, chosen at random (River drops 3). */
export function dropFeatures(x: Features, drop: number, rand: () => number): Features {
  const keep = shuffled(Object.keys(x), rand).slice(0, Math.max(0, Object.keys(x).length - drop));
  const out: Record<string, Features[string]> = {};
  for (const key of Object.keys(x)) if (keep.includes(key)) out[key] = x[key];
  return deepFreeze(out);
}

/** The state's canonical bytes; throws if the state holds NaN, ±Infinity or undefined. */
export function stateBytes(model: Pipeline): string {
  return canonicalJson(model.getState());
}

/** What `eddy` does to persist and reload a model: spec and state through JSON text. */
export function restore(model: Pipeline): Pipeline {
  const spec = JSON.parse(canonicalJson(normalizedSpec(model))) as Json;
  const copy = buildModel(spec);
  copy.setState(JSON.parse(stateBytes(model)) as Json);
  return copy;
}

/** How many values and keys a JSON value holds: grows with the state, not with its digits. */
export function jsonSize(value: Json): number {
  if (value === null || typeof value !== 'object') return 1;
  if (Array.isArray(value)) return value.reduce<number>((n, item) => n + jsonSize(item), 1);
  let n = 1;
  for (const key of Object.keys(value)) n += 1 + jsonSize((value as JsonObject)[key]);
  return n;
}

/** One prediction in a comparable form: the label, and probabilities for classifiers. */
export interface Prediction {
  label: Label | null;
  probabilities?: Array<[ClassLabel, number]>;
}

export function predict(model: Pipeline, x: Features): Prediction {
  if (!model.isClassifier) return { label: model.predictOne(x) };
  const probabilities: Probabilities = model.predictProbaOne(x);
  return { label: model.predictOne(x), probabilities: [...probabilities] };
}

/** Whether two numbers agree within `tolerance`, relative to their size (absolute below 1). */
export function close(a: number, b: number, tolerance: number): boolean {
  if (a === b) return true;
  return Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Why two predictions differ beyond `tolerance`, or undefined when they agree. */
export function predictionGap(a: Prediction, b: Prediction, tolerance: number): string | undefined {
  if (typeof a.label === 'number' && typeof b.label === 'number') {
    return close(a.label, b.label, tolerance) ? undefined : `predicted ${a.label} vs ${b.label}`;
  }
  if (a.label !== b.label) return `predicted ${String(a.label)} vs ${String(b.label)}`;
  const pa = new Map(a.probabilities ?? []);
  const pb = new Map(b.probabilities ?? []);
  if (pa.size !== pb.size) return `${pa.size} vs ${pb.size} classes`;
  for (const [label, p] of pa) {
    const q = pb.get(label);
    if (q === undefined || !close(p, q, tolerance)) return `p(${String(label)}) ${p} vs ${q}`;
  }
  return undefined;
}
