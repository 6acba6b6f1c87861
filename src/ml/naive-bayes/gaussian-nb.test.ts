import { describe, expect, it } from 'vitest';
import { imageSegments, phishing } from '../../../test/support/datasets.js';
import { canonicalJson } from '../base/canonical-json.js';
import { FeatureVector } from '../base/feature-vector.js';
import type { Json } from '../base/types.js';
import { Pipeline } from '../compose/pipeline.js';
import { predictForMetrics, scorePrediction } from '../evaluate/progressive-validation.js';
import { Accuracy } from '../metrics/accuracy.js';
import { LogLoss } from '../metrics/log-loss.js';
import { ROCAUC } from '../metrics/roc-auc.js';
import { buildModel } from '../spec/model-spec.js';
import { GaussianNB } from './gaussian-nb.js';

const state = (model: { getState(): Json }) => canonicalJson(model.getState());

function trained(): GaussianNB {
  const model = new GaussianNB();
  const X = [[-1, -1], [-2, -1], [-3, -2], [1, 1], [2, 1], [3, 2]];
  X.forEach(([a, b], i) => model.learnOne({ 0: a, 1: b }, i < 3 ? 1 : 2));
  return model;
}

describe('GaussianNB', () => {
  it('predicts 1 for {0: -0.8, 1: -1} after River’s six docstring points', () => {
    expect(trained().predictOne({ 0: -0.8, 1: -1 })).toBe(1);
  });

  it('gives probabilities that sum to 1, labels keeping their types, classes in first-seen order', () => {
    const proba = trained().predictProbaOne({ 0: -0.8, 1: -1 });
    expect([...proba.keys()]).toEqual([1, 2]);
    expect(proba.get(1)! + proba.get(2)!).toBeCloseTo(1, 15);
    const model = new GaussianNB();
    model.learnOne({ a: 1 }, 'b');
    model.learnOne({ a: 2 }, 'a');
    model.learnOne({ a: 3 }, true);
    expect([...model.predictProbaOne({ a: 1 }).keys()]).toEqual(['b', 'a', true]);
  });

  it('predicts an empty map and null before its first learn', () => {
    const model = new GaussianNB();
    expect(model.predictProbaOne({ a: 1 }).size).toBe(0);
    expect(model.predictOne({ a: 1 })).toBeNull();
  });

  it('only knows a class once it has learnt a numeric feature for it, as River’s gaussians dict', () => {
    const model = new GaussianNB();
    model.learnOne({ colour: 'red' }, 'x');
    expect(model.predictProbaOne({ colour: 'red' }).size).toBe(0);
    model.learnOne({ a: 1 }, 'y');
    // The prior still counts the first sample: p(y) = 1/2.
    const proba = model.predictProbaOne({ a: 1 });
    expect([...proba.keys()]).toEqual(['y']);
    expect(model.jointLogLikelihood(new FeatureVector()).get('y')).toBe(Math.log(0.5));
  });

  it('never changes its state or vocabulary when predicting, even on unseen features', () => {
    const model = trained();
    const before = state(model);
    model.predictProbaOne({ 0: 5, 1: 2, 7: 3, other: 'x' });
    model.predictOne({ 9: 1 });
    expect(state(model)).toBe(before);
    expect(model['vocabulary'].size).toBe(2);
  });

  it('lets features appear and disappear', () => {
    const model = new GaussianNB();
    model.learnOne({ a: 1, b: 2 }, true);
    model.learnOne({ b: 3 }, false);
    model.learnOne({ c: 4, a: 2 }, true);
    model.learnOne({ a: 5, c: 1 }, false);
    const proba = model.predictProbaOne({ c: 2 });
    expect(proba.size).toBe(2);
    for (const p of proba.values()) expect(Number.isFinite(p)).toBe(true);
    expect(model.predictProbaOne({}).get(true)).toBeCloseTo(0.5, 15);
  });

  it('restored mid-stream, continues exactly as if it had never stopped', () => {
    const data = phishing();
    const a = new GaussianNB();
    data.slice(0, 600).forEach(([x, y]) => a.learnOne(x, y));
    const b = new GaussianNB();
    b.setState(JSON.parse(state(a)) as Json);
    expect(state(b)).toBe(state(a));
    for (const [x, y] of data.slice(600)) {
      expect(b.predictProbaOne(x)).toEqual(a.predictProbaOne(x));
      a.learnOne(x, y);
      b.learnOne(x, y);
    }
    expect(state(b)).toBe(state(a));
  });

  it('clones fresh and untrained, and is built from its spec', () => {
    expect(state(trained().clone())).toBe(state(new GaussianNB()));
    const model = buildModel({ type: 'GaussianNB' });
    expect(model.toSpec()).toEqual({ type: 'Pipeline', steps: [{ type: 'GaussianNB' }] });
    expect(model.task).toBe('multiclass');
    expect(() => buildModel({ type: 'GaussianNB', alpha: 1 })).toThrow(/alpha is not a parameter of GaussianNB/);
  });

  it('scores Phishing by progressive validation as our transcription of River 0.22 does', () => {
    // River publishes no figure for this. These come from a line-by-line Python transcription of
    // River 0.22's GaussianNB, Var, Gaussian and progressive validation, run on CPython 3.11 with
    // scipy < 1.15's logsumexp; SciPy >= 1.15's log1p form moves only LogLoss, by 5e-16.
    const model = new Pipeline([new GaussianNB()]);
    const metrics = [new Accuracy(), new ROCAUC(), new LogLoss()];
    const [accuracy, roc, logLoss] = metrics;
    let scored = 0;
    for (const [x, y] of phishing()) {
      if (scorePrediction(metrics, y, predictForMetrics(model, metrics, x))) scored++;
      model.learnOne(x, y);
    }
    expect(scored).toBe(1249);
    expect(accuracy.get()).toBe(0.8847077662129704);
    expect(roc.get()).toBe(0.9190430058803003);
    expect(Math.abs(logLoss.get() - 0.5825825838262617)).toBeLessThan(1e-12);
    expect(`${accuracy}`).toBe('Accuracy: 88.47%');
    expect(`${roc}`).toBe('ROCAUC: 91.90%');
  });

  it('classifies ImageSegments’ seven string classes as our transcription of River 0.22 does', () => {
    const data = imageSegments();
    const model = new GaussianNB();
    const accuracy = new Accuracy();
    for (const [x, y] of data) {
      const predicted = model.predictOne(x);
      if (predicted !== null) accuracy.update(y, predicted);
      model.learnOne(x, y);
    }
    expect(accuracy.get()).toBe(1690 / 2309);
    const expected: Array<[string, number]> = [
      ['path', 0.9952580533582661],
      ['foliage', 7.633728246030044e-34],
      ['sky', 3.1493170095439405e-31],
      ['grass', 9.671293563941038e-60],
      ['brickface', 1.6887518582064304e-42],
      ['cement', 0.004741946641734091],
      ['window', 4.2923415238427005e-43],
    ];
    const proba = model.predictProbaOne(data[0][0]);
    expect([...proba.keys()]).toEqual(expected.map(([label]) => label));
    for (const [label, p] of expected) expect(Math.abs(proba.get(label)! - p)).toBeLessThanOrEqual(1e-10 * p);
  });
});
