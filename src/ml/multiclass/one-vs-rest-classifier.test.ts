import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../base/canonical-json.js';
import type { ClassLabel, Features, Label } from '../base/types.js';
import { Pipeline } from '../compose/pipeline.js';
import { progressiveValScore } from '../evaluate/progressive-validation.js';
import { LogisticRegression } from '../linear/logistic-regression.js';
import { Accuracy } from '../metrics/accuracy.js';
import { MacroF1 } from '../metrics/macro-f1.js';
import { StandardScaler } from '../preprocessing/standard-scaler.js';
import { buildModel } from '../spec/model-spec.js';
import { imageSegments } from '../../../test/support/datasets.js';
import { OneVsRestClassifier } from './one-vs-rest-classifier.js';

const ovrPipeline = () =>
  new Pipeline([new StandardScaler(), new OneVsRestClassifier({ classifier: new LogisticRegression() })]);

describe('OneVsRestClassifier', () => {
  it('learns ImageSegments well above chance (River’s older docstring: MacroF1 0.774573)', () => {
    const accuracy = new Accuracy();
    const macroF1 = new MacroF1();
    progressiveValScore(imageSegments(), ovrPipeline(), [accuracy, macroF1]);
    expect(accuracy.get()).toBeGreaterThan(0.75); // chance is 1/7
    expect(macroF1.get()).toBeCloseTo(0.774573, 6);
  });

  it('equals seven LogisticRegressions trained by hand on "is it class c?", normalised', () => {
    const stream = imageSegments();
    const model = ovrPipeline();
    const scaler = new StandardScaler();
    const byClass = new Map<ClassLabel, LogisticRegression>();
    let compared = 0;
    for (const [x, y] of stream) {
      const scaled = scaler.transformOne(x);
      const raw = [...byClass].map(([c, lr]) => [c, lr.predictProbaOne(scaled).get(true)!] as const);
      const total = raw.reduce((sum, [, p]) => sum + p, 0);
      const expected = raw.map(([c, p]) => [c, p / total]);
      expect([...model.predictProbaOne(x)]).toEqual(expected);
      compared++;

      model.learnOne(x, y);
      scaler.learnOne(x);
      const scaledNow = scaler.transformOne(x);
      if (!byClass.has(y)) byClass.set(y, new LogisticRegression());
      for (const [c, lr] of byClass) lr.learnOne(scaledNow, y === c);
    }
    expect(compared).toBe(2310);
    expect(byClass.size).toBe(7);
  });

  it('gives one class probability 1, and a uniform distribution when every p(true) is 0', () => {
    const single = new OneVsRestClassifier({ classifier: new LogisticRegression() });
    expect(single.predictProbaOne({ a: 1 }).size).toBe(0);
    expect(single.predictOne({ a: 1 })).toBeNull();
    single.learnOne({ a: 1 }, 'only');
    expect([...single.predictProbaOne({ a: 1 })]).toEqual([['only', 1]]);

    // An intercept below -30 makes River's sigmoid exactly 0 for every class.
    const zero = new OneVsRestClassifier({ classifier: new LogisticRegression({ interceptInit: -40, interceptLr: 0 }) });
    zero.learnOne({}, 1);
    zero.learnOne({}, 2);
    expect([...zero.predictProbaOne({})]).toEqual([
      [1, 0.5],
      [2, 0.5],
    ]);
  });

  it('keeps classes with their JSON types in first-seen order through a snapshot', () => {
    const stream: Array<[Features, Label]> = Array.from({ length: 40 }, (_, i) => [
      { a: Math.sin(i), b: Math.cos(i) },
      [true, 3, 'x'][i % 3] as Label,
    ]);
    const make = () => new Pipeline([new OneVsRestClassifier({ classifier: new LogisticRegression() })]);
    const straight = make();
    stream.forEach(([x, y]) => straight.learnOne(x, y));
    const first = make();
    stream.slice(0, 17).forEach(([x, y]) => first.learnOne(x, y));
    const state = JSON.parse(canonicalJson(first.getState()));
    expect(state.steps[0].classes.map((c: { label: unknown }) => c.label)).toEqual([true, 3, 'x']);
    const resumed = first.clone();
    resumed.setState(state);
    stream.slice(17).forEach(([x, y]) => resumed.learnOne(x, y));
    expect(canonicalJson(resumed.getState())).toBe(canonicalJson(straight.getState()));
    expect([...resumed.predictProbaOne({ a: 0.3, b: 0.1 })]).toEqual([...straight.predictProbaOne({ a: 0.3, b: 0.1 })]);
  });

  it('is built from a spec with a nested classifier, which it requires', () => {
    const model = buildModel({ type: 'OneVsRestClassifier', classifier: { type: 'LogisticRegression', l2: 0.01 } });
    expect(model.task).toBe('multiclass');
    expect(model.final.toSpec()).toMatchObject({
      type: 'OneVsRestClassifier',
      classifier: { type: 'LogisticRegression', l2: 0.01, optimizer: { type: 'SGD', lr: 0.01 } },
    });
    expect(() => buildModel({ type: 'OneVsRestClassifier' })).toThrow(/classifier is required/);
    expect(() => buildModel({ type: 'OneVsRestClassifier', classifier: { type: 'StandardScaler' } })).toThrow(
      /classifier.type "StandardScaler" is not a classifier/,
    );
    const clone = model.final.clone();
    expect(clone.toSpec()).toEqual(model.final.toSpec());
  });
});
