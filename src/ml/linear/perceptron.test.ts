import { describe, expect, it } from 'vitest';
import { Pipeline } from '../compose/pipeline.js';
import { progressiveValScore } from '../evaluate/progressive-validation.js';
import { Accuracy } from '../metrics/accuracy.js';
import { StandardScaler } from '../preprocessing/standard-scaler.js';
import { buildModel } from '../spec/model-spec.js';
import { phishing } from '../../../test/support/datasets.js';
import { LogisticRegression } from './logistic-regression.js';
import { Perceptron } from './perceptron.js';
import { replayWithRestore } from './round-trip.test-util.js';

describe('Perceptron', () => {
  it('scores River’s docstring Accuracy: 85.84% on Phishing behind a StandardScaler', () => {
    const metric = new Accuracy();
    progressiveValScore(phishing(), new Pipeline([new StandardScaler(), new Perceptron()]), [metric]);
    expect(metric.toString()).toBe('Accuracy: 85.84%');
    expect(metric.get()).toBe(0.8584);
  });

  it('moves by ±x with rate 1 only on a mistake or the boundary', () => {
    const p = new Perceptron();
    p.learnOne({ a: 2, b: -1 }, true); // score 0: on the boundary, so it learns
    expect(p.getState()).toMatchObject({ intercept: 1, weights: { a: 2, b: -1 } });
    p.learnOne({ a: 1, b: 0 }, true); // score 3 > 0: correct, no change
    expect(p.getState()).toMatchObject({ intercept: 1, weights: { a: 2, b: -1 } });
    p.learnOne({ a: 1, b: 0 }, false); // score 3 for a negative: w -= x, b -= 1
    expect(p.getState()).toMatchObject({ intercept: 0, weights: { a: 1, b: -1 } });
    expect(p.predictProbaOne({ a: 1, b: 0 }).get(true)).toBe(1 / (1 + Math.exp(-1)));
  });

  it('is a LogisticRegression with fixed parameters, and its spec lists only River’s parameters', () => {
    const p = new Perceptron({ l2: 0.1 });
    expect(p).toBeInstanceOf(LogisticRegression);
    expect(p.toSpec()).toEqual({ type: 'Perceptron', l2: 0.1, clipGradient: 1e12, initializer: { type: 'Zeros' } });
    expect(buildModel({ type: 'Perceptron', l2: 0.1 }).final.toSpec()).toEqual(p.toSpec());
    expect(() => buildModel({ type: 'Perceptron', optimizer: { type: 'SGD' } })).toThrow(/not a parameter/);
    expect(p.clone()).toBeInstanceOf(Perceptron);
  });

  it('restores a snapshot and continues to the same bytes', () => {
    const r = replayWithRestore(() => new Pipeline([new StandardScaler(), new Perceptron()]), phishing(), 617);
    expect(r.resumed).toBe(r.straight);
    expect(r.resumedPredictions).toEqual(r.straightPredictions);
  });
});
