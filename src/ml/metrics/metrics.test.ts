import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../base/canonical-json.js';
import { snapshotOf } from '../base/snapshot.js';
import type { ClassLabel, Json, Task } from '../base/types.js';
import type { Metric, MetricPrediction } from './metric.js';
import { metricFromSpec, parseMetric, restoreMetric } from './parse.js';
import { Rolling } from './rolling.js';

type Pair = readonly [ClassLabel, MetricPrediction, number];

/** Every metric, a few with params, and Rolling around each kind of state. */
const NAMES = [
  'Accuracy',
  'ROCAUC',
  'ROCAUC(n_thresholds=5, pos_val=False)',
  'LogLoss',
  'Precision',
  'Recall',
  'F1',
  "F1(pos_val='no')",
  'FBeta(beta=2)',
  'MacroF1',
  'MacroFBeta(0.5)',
  'MAE',
  'MSE',
  'RMSE',
  'R2',
  'Rolling(ROCAUC, 5)',
  'Rolling(LogLoss, 3)',
  'Rolling(MacroF1, 4)',
  'Rolling(F1, 3)',
  'Rolling(R2, 4)',
  'Rolling(Rolling(MAE, 5), 3)',
];

/** Metrics whose state is sums of weights (exact for these weights), not running means. */
const COUNTING = new Set(['Accuracy', 'ROCAUC', 'Precision', 'Recall', 'F1', 'FBeta', 'MacroF1', 'MacroFBeta']);

/** The widest task a metric scores, so multiclass metrics see mixed label types. */
function taskOf(m: Metric): Task {
  return m.tasks.includes('multiclass') ? 'multiclass' : m.tasks[0];
}

const weight = fc.constantFrom(1, 1, 1, 2, 0.5);
const probability = fc.oneof(fc.constantFrom(0, 1, 0.5), fc.double({ min: 0, max: 1, noNaN: true }));

/** Random (yTrue, yPred, w) pairs of the kind the metric scores; labels mix JSON types. */
function pairsFor(m: Metric): fc.Arbitrary<Pair> {
  const task = taskOf(m);
  if (task === 'regression') return fc.tuple(fc.integer({ min: -5, max: 5 }), fc.double({ min: -10, max: 10, noNaN: true }), weight);
  if (task === 'multiclass') {
    const label = fc.constantFrom<ClassLabel>('a', 'b', 3, false, 'c');
    return fc.tuple(label, label, weight);
  }
  const truth = m.toSpec().posVal === 'no' ? fc.constantFrom<ClassLabel>('yes', 'no') : fc.boolean();
  if (m.requiresLabels) return fc.tuple(truth, truth, weight);
  return fc.tuple(
    truth,
    probability.map((p) => new Map<ClassLabel, number>([[false, 1 - p], [true, p]])),
    weight,
  );
}

function feed(m: Metric, pairs: readonly Pair[]): void {
  for (const [y, p, w] of pairs) m.update(y, p, w);
}

/** Equal up to `tolerance` relative on every number of two JSON states. */
function expectClose(actual: Json, expected: Json, tolerance: number): void {
  if (typeof expected === 'number') {
    expect(typeof actual).toBe('number');
    expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual) && actual.length).toBe(expected.length);
    expected.forEach((item, i) => expectClose((actual as Json[])[i], item, tolerance));
  } else if (expected !== null && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort()).toEqual(Object.keys(expected).sort());
    for (const key of Object.keys(expected)) expectClose((actual as Record<string, Json>)[key], expected[key], tolerance);
  } else expect(actual).toBe(expected);
}

function counts(m: Metric): boolean {
  const spec = m.toSpec();
  return COUNTING.has(String(spec.type === 'Rolling' ? (spec.metric as { type: string }).type : spec.type));
}

describe.each(NAMES)('%s', (name) => {
  const fresh = () => parseMetric(name);
  const stream = (seed: number, n: number) => fc.sample(pairsFor(fresh()), { seed, numRuns: n });

  it('restored from a JSON snapshot mid-stream, continues exactly as if it never stopped', () => {
    for (const seed of [1, 2, 3]) {
      const pairs = stream(seed, 40);
      const straight = fresh();
      feed(straight, pairs);
      const first = fresh();
      feed(first, pairs.slice(0, 17));
      const restored = restoreMetric(JSON.parse(JSON.stringify(snapshotOf(first))));
      expect(canonicalJson(restored.getState())).toBe(canonicalJson(first.getState()));
      feed(restored, pairs.slice(17));
      expect(canonicalJson(restored.getState())).toBe(canonicalJson(straight.getState()));
      expect(Object.is(restored.get(), straight.get())).toBe(true);
      expect(restored.toString()).toBe(straight.toString());
    }
  });

  it('is back to its state after revert(update(x)) (exactly for counts, to 1e-12 for means)', () => {
    const m = fresh();
    const pairs = stream(7, 12);
    // Rolling can only undo an update that evicted nothing, so stay within every window.
    feed(m, pairs.slice(0, 2));
    for (const [y, p, w] of pairs.slice(2)) {
      const before = m.getState();
      m.update(y, p, w);
      m.revert(y, p, w);
      if (counts(m)) expect(canonicalJson(m.getState())).toBe(canonicalJson(before));
      else expectClose(m.getState(), before, 1e-12);
      m.setState(before);
    }
  });

  it('clones to a fresh metric with the same spec, and is rebuilt by its spec and by its name', () => {
    const m = fresh();
    feed(m, stream(4, 10));
    const clone = m.clone();
    expect(clone.toSpec()).toEqual(m.toSpec());
    expect(canonicalJson(clone.getState())).toBe(canonicalJson(fresh().getState()));
    expect(clone.get()).toBe(0);
    expect(metricFromSpec(m.toSpec()).name).toBe(m.name);
    expect(parseMetric(m.name).toSpec()).toEqual(m.toSpec());
  });

  it('reads 0 before any update and keeps a canonical-JSON state', () => {
    const m = fresh();
    expect(m.get()).toBe(0);
    feed(m, stream(5, 25));
    expect(() => canonicalJson(m.getState())).not.toThrow();
    expect(Number.isFinite(m.get())).toBe(true);
  });
});

describe('Rolling over any metric', () => {
  const inner = NAMES.filter((n) => !n.startsWith('Rolling'));

  it('equals its inner metric recomputed from scratch on the last windowSize pairs', () => {
    const cases = fc.constantFrom(...inner).chain((name) =>
      fc.record({
        name: fc.constant(name),
        windowSize: fc.integer({ min: 1, max: 8 }),
        pairs: fc.array(pairsFor(parseMetric(name)), { maxLength: 40 }),
      }),
    );
    fc.assert(
      fc.property(cases, ({ name, windowSize, pairs }) => {
        const rolling = new Rolling({ metric: parseMetric(name), windowSize });
        const steps: Pair[] = [];
        for (const pair of pairs) {
          rolling.update(...pair);
          steps.push(pair);
          const scratch = parseMetric(name);
          const last = steps.slice(-windowSize);
          feed(scratch, last);
          const kind = scratch.kind;
          if (kind === 'R2' && new Set(last.map((p) => p[0])).size < 2) continue; // no variance: 1 - RSS/~0
          if (COUNTING.has(kind) && kind !== 'MacroF1' && kind !== 'MacroFBeta') {
            expect(rolling.get()).toBe(scratch.get());
          } else {
            // Running means are not undone bit for bit; macro averages may sum classes in another
            // order; RMSE's sqrt magnifies a residue near 0, so compare its square.
            const [a, b] = kind === 'RMSE' ? [rolling.get() ** 2, scratch.get() ** 2] : [rolling.get(), scratch.get()];
            expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
          }
          expect(rolling.size).toBe(last.length);
        }
      }),
      { numRuns: 300, seed: 20240622 },
    );
  });
});
