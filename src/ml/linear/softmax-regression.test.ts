import { describe, expect, it } from 'vitest';
import { Pipeline } from '../compose/pipeline.js';
import { progressiveValScore } from '../evaluate/progressive-validation.js';
import { MacroF1 } from '../metrics/macro-f1.js';
import { CrossEntropy } from '../optim/cross-entropy.js';
import { Adam } from '../optim/adam.js';
import { StandardScaler } from '../preprocessing/standard-scaler.js';
import { buildModel } from '../spec/model-spec.js';
import { imageSegments } from '../../../test/support/datasets.js';
import { replayWithRestore } from './round-trip.test-util.js';
import { SoftmaxRegression } from './softmax-regression.js';

describe('SoftmaxRegression', () => {
  it('scores River’s docstring MacroF1: 81.88% on ImageSegments behind a StandardScaler', () => {
    const metric = new MacroF1();
    const seen = progressiveValScore(imageSegments(), new Pipeline([new StandardScaler(), new SoftmaxRegression()]), [metric]);
    expect(seen).toBe(2310);
    expect(metric.toString()).toBe('MacroF1: 81.88%');
  });

  it('knows no class before learning, then keeps classes in first-seen order', () => {
    const m = new SoftmaxRegression();
    expect(m.predictProbaOne({ a: 1 }).size).toBe(0);
    expect(m.predictOne({ a: 1 })).toBeNull();
    m.learnOne({ a: 1 }, 'b');
    m.learnOne({ a: -1 }, 'a');
    expect([...m.predictProbaOne({ a: 1 }).keys()]).toEqual(['b', 'a']);
  });

  it('steps each class by x · (clamp(p_c) - [y = c]), a new class from p = 1e-15', () => {
    const m = new SoftmaxRegression();
    m.learnOne({ a: 2 }, 'x'); // only class: gradient (1e-15 - 1) * 2
    const w1 = 0 - 0.01 * (2 * (1e-15 - 1));
    expect(m.getState()).toEqual({ classes: [{ label: 'x', optimizer: { nIterations: 1 }, weights: [['a', w1]] }] });

    m.learnOne({ a: 1 }, 'y'); // p_x = 1 (alone), 'y' is new
    const px = 1 - 1e-15;
    const state = m.getState() as { classes: Array<{ weights: Array<[string, number]> }> };
    expect(state.classes[0].weights[0][1]).toBe(w1 - 0.01 * (1 * (px - 0)));
    expect(state.classes[1].weights[0][1]).toBe(0 - 0.01 * (1 * (1e-15 - 1)));

    const [sx, sy] = [state.classes[0].weights[0][1], state.classes[1].weights[0][1]];
    const max = Math.max(sx, sy);
    const [ex, ey] = [Math.exp(sx - max), Math.exp(sy - max)];
    expect([...m.predictProbaOne({ a: 1 })]).toEqual([
      ['x', ex / (ex + ey)],
      ['y', ey / (ex + ey)],
    ]);
  });

  it('gives each class its own fresh copy of the optimizer, stepping only the sample’s features', () => {
    const m = new SoftmaxRegression({ optimizer: new Adam() });
    m.learnOne({ a: 1, b: 1 }, 'x');
    m.learnOne({ a: 1 }, 'y');
    const state = m.getState() as { classes: Array<{ optimizer: { nIterations: number }; weights: Array<[string, number]> }> };
    expect(state.classes.map((c) => c.optimizer.nIterations)).toEqual([2, 1]);
    // 'x' saw b only in the first sample; Adam's dict form leaves it alone in the second.
    const fresh = new SoftmaxRegression({ optimizer: new Adam() });
    fresh.learnOne({ a: 1, b: 1 }, 'x');
    const first = fresh.getState() as typeof state;
    expect(state.classes[0].weights[1]).toEqual(first.classes[0].weights[1]);
  });

  it('restores a snapshot and continues to the same bytes', () => {
    const stream = imageSegments().slice(0, 600);
    const r = replayWithRestore(() => new Pipeline([new StandardScaler(), new SoftmaxRegression()]), stream, 250);
    expect(r.resumed).toBe(r.straight);
    expect(r.resumedPredictions).toEqual(r.straightPredictions);
  });

  it('has River’s defaults in its spec and refuses a binary loss', () => {
    expect(new SoftmaxRegression().toSpec()).toEqual({
      type: 'SoftmaxRegression',
      optimizer: { type: 'SGD', lr: 0.01 },
      loss: { type: 'CrossEntropy', classWeight: [] },
      l2: 0,
    });
    expect(new SoftmaxRegression({ loss: new CrossEntropy() }).multiclass).toBe(true);
    expect(buildModel({ type: 'SoftmaxRegression', optimizer: { type: 'Adam', lr: 0.05 } }).task).toBe('multiclass');
    expect(() => buildModel({ type: 'SoftmaxRegression', loss: { type: 'Log' } })).toThrow(/not a multiclass loss/);
  });
});
