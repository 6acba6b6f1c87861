import { describe, expect, it } from 'vitest';
import { argmax } from '../base/classifier.js';
import type { Features } from '../base/types.js';
import { Pipeline } from '../compose/pipeline.js';
import { Accuracy } from '../metrics/accuracy.js';
import { LogLoss } from '../metrics/log-loss.js';
import { MAE } from '../metrics/mae.js';
import { MSE } from '../metrics/mse.js';
import { buildModel } from '../spec/model-spec.js';
import { makeClassification, makeRegression } from '../../../test/support/sklearn.js';
import { PAClassifier } from './pa-classifier.js';
import { PARegressor } from './pa-regressor.js';
import { replayWithRestore } from './round-trip.test-util.js';

// Update rules are checked against values computed by hand from Crammer et al.'s formulas in
// River's operation order (river/linear_model/pa.py). River's two docstring examples run on
// scikit-learn 1.2 data, rebuilt from numpy's legacy generator (test/support/sklearn.ts).

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('PAClassifier', () => {
  it('scores River’s docstring Accuracy: 88.46%, LogLoss: 0.325727 (PA-I, C 0.01, on make_classification)', () => {
    const { train, test } = makeClassification({ seed: 1000 });
    const model = new PAClassifier({ C: 0.01, mode: 1 });
    for (const [x, y] of train) model.learnOne(x, y);
    const [accuracy, logLoss] = [new Accuracy(), new LogLoss()];
    for (const [x, y] of test) {
      const proba = model.predictProbaOne(x);
      accuracy.update(y, argmax(proba)!);
      logLoss.update(y, proba);
    }
    expect(accuracy.toString()).toBe('Accuracy: 88.46%');
    expect(Math.abs(logLoss.get() - 0.32572737044937683)).toBeLessThanOrEqual(1e-12);
  });

  it('PA-I: tau = min(C, hinge / ‖x‖²), w += tau·y·x, b += tau·y', () => {
    const pa = new PAClassifier({ C: 0.01, mode: 1 });
    pa.learnOne({ a: 1, b: 2 }, true); // loss 1, ‖x‖² 5: tau = min(0.01, 0.2)
    expect(pa.getState()).toEqual({ intercept: 0.01, weights: [['a', 0.01], ['b', 0.02]] });
    expect(pa.predictProbaOne({ a: 1, b: 2 }).get(true)).toBe(sigmoid(0.01 * 1 + 0.02 * 2 + 0.01));

    pa.learnOne({ b: 1, c: -1 }, false); // score 0.02 + 0.01: loss 1.03, ‖x‖² 2, tau = 0.01
    expect(pa.getState()).toEqual({ intercept: 0, weights: [['a', 0.01], ['b', 0.01], ['c', 0.01]] });
  });

  it('PA: tau = hinge / ‖x‖², without a cap, with ‖x‖² squared from its root as River does', () => {
    const pa = new PAClassifier({ mode: 0, learnIntercept: false });
    pa.learnOne({ a: 1, b: 2 }, false); // loss 1, y = -1
    const normSq = Math.sqrt(5) * Math.sqrt(5); // 5.000000000000001, as numpy's norm ** 2
    const tau = 1 / normSq;
    const [wa, wb] = [0 + -tau * 1, 0 + -tau * 2];
    expect(pa.getState()).toEqual({ intercept: 0, weights: [['a', wa], ['b', wb]] });
    // The margin is now met up to rounding: a tiny step for the remaining loss.
    pa.learnOne({ a: 1, b: 2 }, false);
    const tau2 = (1 - (wa * 1 + wb * 2) * -1) / normSq;
    expect(tau2).toBeGreaterThan(0);
    expect(pa.getState()).toEqual({ intercept: 0, weights: [['a', wa + -tau2 * 1], ['b', wb + -tau2 * 2]] });
  });

  it('PA-II: tau = hinge / (‖x‖² + 1 / (2C))', () => {
    const pa = new PAClassifier({ C: 0.5, mode: 2 });
    pa.learnOne({ a: 3 }, true); // loss 1, tau = 1 / (9 + 1)
    expect(pa.getState()).toEqual({ intercept: 0.1, weights: [['a', 0.1 * 3]] });
  });

  it('takes no step on an empty sample in modes 0 and 1', () => {
    const pa = new PAClassifier();
    pa.learnOne({}, true);
    expect(pa.getState()).toEqual({ intercept: 0, weights: [] });
  });

  it('keeps weights in first-seen order through a snapshot', () => {
    const stream = Array.from({ length: 60 }, (_, i) => {
      const x: Record<string, number> = { [`f${i % 7}`]: Math.sin(i), g: Math.cos(i * 3) };
      return [x, i % 3 === 0] as const;
    });
    const r = replayWithRestore(() => new Pipeline([new PAClassifier({ C: 0.1 })]), stream, 25);
    expect(r.resumed).toBe(r.straight);
    expect(r.resumedPredictions).toEqual(r.straightPredictions);
  });
});

describe('PARegressor', () => {
  it('scores River’s docstring MAE: 9.809402, MSE: 472.393532 (PA-II on make_regression, seed 1000)', () => {
    const model = new PARegressor({ C: 0.01, mode: 2, eps: 0.1, learnIntercept: false });
    const [mae, mse] = [new MAE(), new MSE()];
    for (const [x, y] of makeRegression({ seed: 1000, nSamples: 500, nFeatures: 4 })) {
      const yPred = model.predictOne(x);
      model.learnOne(x, y);
      mae.update(y, yPred);
      mse.update(y, yPred);
    }
    expect(mae.toString()).toBe('MAE: 9.809402');
    expect(mse.toString()).toBe('MSE: 472.393532');
  });

  it('PA-II with River’s epsilon-insensitive loss on 2y - 1 and the direction sign(y - ŷ)', () => {
    const pa = new PARegressor({ C: 0.01, mode: 2, eps: 0.1, learnIntercept: false });
    pa.learnOne({ a: 1, b: 2 }, 3); // loss |0 - 5| - 0.1 = 4.9, tau = 4.9 / (5 + 50)
    const tau = 4.9 / (Math.sqrt(5) * Math.sqrt(5) + 0.5 / 0.01);
    expect(pa.getState()).toEqual({ intercept: 0, weights: [['a', tau], ['b', tau * 2]] });
    expect(pa.predictOne({ a: 1, b: 2 })).toBe(tau * 1 + tau * 2 * 2);
  });

  it('PA-I caps the step at C and learns the intercept', () => {
    const pa = new PARegressor({ C: 0.5 });
    pa.learnOne({ a: 1 }, -2); // loss |0 - (-5)| - 0.1 = 4.9, ratio 4.9 capped at 0.5, sign -1
    expect(pa.getState()).toEqual({ intercept: -0.5, weights: [['a', -0.5]] });
  });

  it('does not move inside the band', () => {
    const pa = new PARegressor({ eps: 2 });
    pa.learnOne({ a: 1 }, 1); // loss max(|0 - 1| - 2, 0) = 0
    expect(pa.getState()).toEqual({ intercept: 0, weights: [['a', 0]] });
  });

  it('has River’s defaults and validates mode and C', () => {
    expect(new PARegressor().toSpec()).toEqual({ type: 'PARegressor', C: 1, mode: 1, eps: 0.1, learnIntercept: true });
    expect(new PAClassifier().toSpec()).toEqual({ type: 'PAClassifier', C: 1, mode: 1, learnIntercept: true });
    expect(() => buildModel({ type: 'PAClassifier', mode: 3 })).toThrow(/mode must be 0, 1 or 2/);
    expect(() => buildModel({ type: 'PARegressor', C: 0 })).toThrow(/C must be > 0/);
    expect(buildModel({ type: 'PARegressor', eps: 0.5 }).task).toBe('regression');
  });
});
