/**
 * The generic estimator checks (River's `river/checks/` run by `river/test_estimators.py`): every
 * step registered in the spec catalog is built from its spec and run through the same checks, so
 * a new estimator gets the whole suite by being registered. Skips live in `example-specs.ts`,
 * each with its reason.
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/ml/base/canonical-json.js';
import type { Features, Json, Label } from '../../src/ml/base/types.js';
import type { Pipeline } from '../../src/ml/compose/pipeline.js';
import { definitions } from '../../src/ml/spec/catalog.js';
import { buildModel, normalizedSpec } from '../../src/ml/spec/model-spec.js';
import { type EstimatorCase, estimatorCases, type Stream } from './cases.js';
import { type CheckName, skips } from './example-specs.js';
import {
  deepFreeze,
  dropFeatures,
  jsonSize,
  type Prediction,
  predict,
  predictionGap,
  random,
  restore,
  shuffleFeatures,
  stateBytes,
} from './helpers.js';

const { cases, unbuildable } = estimatorCases();

type Rows = Stream['rows'];

/** Progressive validation without metrics: predict each row, then learn it. */
function run(model: Pipeline, rows: Rows, from = 0, to = rows.length): Prediction[] {
  const out: Prediction[] = [];
  for (let i = from; i < to; i++) {
    const [x, y] = rows[i];
    out.push(predict(model, x));
    model.learnOne(x, y);
  }
  return out;
}

function learnAll(model: Pipeline, rows: Rows): void {
  for (const [x, y] of rows) model.learnOne(x, y);
}

/** Asserts a prediction is usable: a finite number, or a probability distribution. */
function expectValid(model: Pipeline, p: Prediction, where: string): void {
  if (!model.isClassifier) {
    expect(typeof p.label === 'number' && Number.isFinite(p.label), `${where}: regressor predicted ${p.label}`).toBe(true);
    return;
  }
  const probabilities = p.probabilities ?? [];
  if (probabilities.length === 0) {
    expect(p.label, `${where}: no probabilities but a label`).toBeNull();
    return;
  }
  let sum = 0;
  for (const [label, q] of probabilities) {
    expect(q >= 0 && q <= 1, `${where}: p(${String(label)}) = ${q}`).toBe(true);
    sum += q;
  }
  expect(Math.abs(sum - 1), `${where}: probabilities sum to ${sum}`).toBeLessThanOrEqual(1e-9);
}

function describeCase(c: EstimatorCase): string {
  const spec = canonicalJson(c.spec);
  return spec === canonicalJson({ type: c.type }) ? c.type : `${c.type} as ${spec}`;
}

/** `it`, or `it.skip` with the reason when the type skips this check. */
function check(c: EstimatorCase, name: CheckName, title: string, body: () => void): void {
  const reason = skips[c.type]?.[name];
  if (reason === undefined) it(title, body);
  else it.skip(`${title} (skipped: ${reason})`, body);
}

describe('the generic checks cover every registered step', () => {
  it('builds every registered type from its bare spec, an automatic inner step, or an example spec', () => {
    expect(unbuildable, 'add an example spec in test/estimators/example-specs.ts').toEqual([]);
  });

  it('has at least one case for every registered type', () => {
    const covered = new Set(cases.map((c) => c.type));
    expect(definitions.map((d) => d.type).filter((t) => !covered.has(t))).toEqual([]);
  });
});

for (const c of cases) {
  for (const stream of c.streams) {
    const rows = stream.rows;
    const half = Math.floor(rows.length / 2);

    describe(`${describeCase(c)} on ${stream.name}`, () => {
      check(c, 'roundTrip', 'restoring a JSON snapshot at any point and continuing gives the same bytes as never stopping', () => {
        const reference = buildModel(c.spec);
        const checkpoints = [0, 1, 2, 37, half];
        const restored = new Map<number, Pipeline>();
        const predictions: Prediction[] = [];
        rows.forEach(([x, y], i) => {
          if (checkpoints.includes(i)) {
            const copy = restore(reference);
            expect(stateBytes(copy), `state bytes right after restoring at row ${i}`).toBe(stateBytes(reference));
            restored.set(i, copy);
          }
          predictions.push(predict(reference, x));
          reference.learnOne(x, y);
        });
        const final = stateBytes(reference);
        for (const [k, copy] of restored) {
          run(copy, rows, k).forEach((p, j) => {
            expect(predictionGap(p, predictions[k + j], 0), `restored at ${k}, row ${k + j}`).toBeUndefined();
          });
          expect(stateBytes(copy), `restored at row ${k}, final state`).toBe(final);
        }
      });

      check(c, 'restoreOverUsed', 'setState replaces everything learnt, whatever order the model first saw features in', () => {
        const reference = buildModel(c.spec);
        learnAll(reference, rows.slice(0, half));
        const used = buildModel(c.spec);
        const rand = random(7);
        for (const [x, y] of rows.slice(half).reverse().slice(0, 50)) used.learnOne(shuffleFeatures(x, rand), y);
        used.setState(JSON.parse(stateBytes(reference)) as Json);
        expect(stateBytes(used)).toBe(stateBytes(reference));
        const expected = run(reference, rows, half);
        run(used, rows, half).forEach((p, j) => expect(predictionGap(p, expected[j], 0), `row ${half + j}`).toBeUndefined());
        expect(stateBytes(used)).toBe(stateBytes(reference));
      });

      check(c, 'predictIsPure', 'predicting (and transforming) never changes the state, even with unseen features', () => {
        const model = buildModel(c.spec);
        rows.forEach(([x, y], i) => {
          const before = stateBytes(model);
          predict(model, x);
          predict(model, deepFreeze({ ...x, unseen_number: 1.5, unseen_category: 'new' }));
          predict(model, {});
          for (const t of model.transformers) {
            const out = t.transformOne(x);
            expect(out).not.toBe(x);
          }
          expect(stateBytes(model), `row ${i}`).toBe(before);
          model.learnOne(x, y);
        });
      });

      check(c, 'inputsNotMutated', 'learning and predicting never write to the feature objects', () => {
        const model = buildModel(c.spec);
        // The rows are deep-frozen, so a write in (strict-mode) src code throws; the copies catch the rest.
        const copies = rows.map(([x]) => JSON.stringify(x));
        run(model, rows);
        for (const t of model.transformers) for (const [x] of rows) t.transformOne(x);
        rows.forEach(([x], i) => expect(JSON.stringify(x), `row ${i}`).toBe(copies[i]));
      });

      check(c, 'emergingFeatures', 'features may appear: predict on full rows, learn on rows missing 3 features', () => {
        const model = buildModel(c.spec);
        const rand = random(11);
        rows.forEach(([x, y], i) => {
          expectValid(model, predict(model, x), `row ${i}`);
          model.learnOne(dropFeatures(x, 3, rand), y);
        });
        stateBytes(model);
      });

      check(c, 'disappearingFeatures', 'features may disappear: predict on rows missing 3 features, learn on full rows', () => {
        const model = buildModel(c.spec);
        const rand = random(13);
        rows.forEach(([x, y], i) => {
          expectValid(model, predict(model, dropFeatures(x, 3, rand)), `row ${i}`);
          model.learnOne(x, y);
        });
        stateBytes(model);
      });

      check(c, 'missingFeatures', 'a null, undefined or NaN feature is exactly an absent one', () => {
        const withHoles = buildModel(c.spec);
        const without = buildModel(c.spec);
        const rand = random(17);
        const holes = [null, undefined, Number.NaN] as const;
        rows.forEach(([x, y], i) => {
          const kept = dropFeatures(x, 3, rand);
          const holey: Record<string, Features[string]> = {};
          let h = 0;
          for (const key of Object.keys(x)) holey[key] = key in kept ? x[key] : holes[h++ % holes.length];
          deepFreeze(holey);
          const p = predict(withHoles, holey);
          expect(predictionGap(p, predict(without, kept), 0), `row ${i}`).toBeUndefined();
          withHoles.learnOne(holey, y);
          without.learnOne(kept, y);
        });
        expect(stateBytes(withHoles)).toBe(stateBytes(without));
      });

      check(c, 'shuffleFeatures', 'shuffling the order of features changes predictions by at most 1e-12', () => {
        const model = buildModel(c.spec);
        const shuffledModel = buildModel(c.spec);
        const rand = random(42);
        for (const [i, [x, y]] of rows.entries()) {
          const xs = shuffleFeatures(x, rand);
          expect(predictionGap(predict(model, x), predict(shuffledModel, xs), 1e-12), `row ${i}`).toBeUndefined();
          model.learnOne(x, y);
          shuffledModel.learnOne(xs, y);
        }
      });

      check(c, 'clone', 'clone() is untrained, has the same spec, and learns independently of the original', () => {
        const fresh = stateBytes(buildModel(c.spec));
        const original = buildModel(c.spec);
        run(original, rows, 0, half);
        const before = stateBytes(original);
        const copy = original.clone();
        expect(copy).not.toBe(original);
        expect(canonicalJson(copy.toSpec())).toBe(canonicalJson(original.toSpec()));
        expect(stateBytes(copy), 'a clone starts untrained').toBe(fresh);
        run(copy, rows);
        expect(stateBytes(original), 'training the clone leaves the original alone').toBe(before);
        const reference = buildModel(c.spec);
        run(reference, rows);
        expect(stateBytes(copy), 'the clone learns as a fresh model does').toBe(stateBytes(reference));
        run(original, rows, half);
        expect(stateBytes(original), 'the original learns on as if never cloned').toBe(stateBytes(reference));
      });

      check(c, 'predictBeforeLearning', 'predicting before any learning works (an empty or prior prediction)', () => {
        const model = buildModel(c.spec);
        expectValid(model, predict(model, rows[0][0]), 'first row');
        expectValid(model, predict(model, {}), 'empty features');
        learnAll(model, rows.slice(0, 5));
        expectValid(model, predict(model, {}), 'empty features after learning');
      });

      check(c, 'specRoundTrip', 'toSpec() rebuilds an equal spec, with every default filled in, untouched by learning', () => {
        const model = buildModel(c.spec);
        const spec = canonicalJson(normalizedSpec(model));
        expect(canonicalJson(normalizedSpec(buildModel(JSON.parse(spec) as Json)))).toBe(spec);
        learnAll(model, rows.slice(0, 20));
        expect(canonicalJson(normalizedSpec(model))).toBe(spec);
        for (const step of model.steps) expect(step.toSpec().type).toBe(step.kind);
      });

      check(c, 'finiteState', 'the state is plain JSON with no NaN or Infinity after every sample', () => {
        const model = buildModel(c.spec);
        const plain = (value: unknown, path: string): void => {
          if (value === null || typeof value !== 'object') return;
          const proto = Object.getPrototypeOf(value);
          expect(Array.isArray(value) || proto === Object.prototype || proto === null, `${path} is a ${proto?.constructor?.name}`).toBe(true);
          for (const [k, v] of Object.entries(value)) plain(v, `${path}.${k}`);
        };
        rows.forEach(([x, y], i) => {
          model.learnOne(x, y);
          expect(() => stateBytes(model), `row ${i}`).not.toThrow();
          if (i % 50 === 0) plain(model.getState(), 'state');
        });
        plain(model.getState(), 'state');
      });

      check(c, 'determinism', 'two fresh models on the same stream give identical predictions and bytes', () => {
        const a = buildModel(c.spec);
        const b = buildModel(c.spec);
        const pa = run(a, rows);
        run(b, rows).forEach((p, i) => expect(predictionGap(p, pa[i], 0), `row ${i}`).toBeUndefined());
        expect(stateBytes(b)).toBe(stateBytes(a));
      });

      check(c, 'boundedMemory', 'the state stops growing on a long stream with a fixed feature set', () => {
        const model = buildModel(c.spec);
        const sizes: number[] = [];
        // Six passes over the same rows: whatever grows while a model warms up (a tree's first
        // splits) is done by the fourth; after that, no more.
        for (let pass = 1; pass <= 6; pass++) {
          learnAll(model, rows);
          sizes.push(jsonSize(model.getState()));
        }
        expect(sizes[5], `state sizes after 1–6 passes: ${sizes.join(', ')}`).toBeLessThanOrEqual(sizes[3]);
      });

      if (c.task !== 'regression') {
        check(c, 'probabilities', 'predictProbaOne gives a distribution; a binary classifier always over {false, true}', () => {
          const model = buildModel(c.spec);
          rows.forEach(([x, y]: readonly [Features, Label], i) => {
            const before = predict(model, x);
            if (c.task === 'binary') {
              const keys = (before.probabilities ?? []).map(([k]) => k);
              expect(new Set(keys), `row ${i}`).toEqual(new Set([false, true]));
            }
            model.learnOne(x, y);
            const after = predict(model, x);
            expect(after.probabilities?.length ?? 0, `row ${i}: nothing predicted after learning`).toBeGreaterThan(0);
            expectValid(model, after, `row ${i}`);
          });
        });
      }
    });
  }
}
