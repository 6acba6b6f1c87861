import { describe, expect, it } from 'vitest';
import { Column } from '../base/column.js';
import { canonicalJson } from '../base/canonical-json.js';
import { Vocabulary } from '../base/vocabulary.js';
import { Pipeline } from '../compose/pipeline.js';
import { progressiveValScore } from '../evaluate/progressive-validation.js';
import { LogisticRegression } from '../linear/logistic-regression.js';
import { F1 } from '../metrics/f1.js';
import { StandardScaler } from '../preprocessing/standard-scaler.js';
import { phishing } from '../../../test/support/datasets.js';
import { AdaGrad } from './ada-grad.js';
import { Adam } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { RMSProp } from './rms-prop.js';
import { SGD } from './sgd.js';

function f1OnPhishing(optimizer: Optimizer): string {
  const metric = new F1();
  progressiveValScore(phishing(), new Pipeline([new StandardScaler(), new LogisticRegression({ optimizer })]), [metric]);
  return metric.toString();
}

/** One optimizer step on features a and b from zero weights; returns the weights. */
function stepOnce(optimizer: Optimizer, grads: number[], weights = new Column()): Column {
  optimizer.stepDict(weights, Int32Array.from([0, 1]), Float64Array.from(grads), 2);
  return weights;
}

describe('optimizers reproduce River’s docstring scores on Phishing (StandardScaler | LogisticRegression)', () => {
  it('Adam(): F1: 86.52%', () => expect(f1OnPhishing(new Adam())).toBe('F1: 86.52%'));
  it('AdaGrad(): F1: 88.01%', () => expect(f1OnPhishing(new AdaGrad())).toBe('F1: 88.01%'));
  it('RMSProp(): F1: 87.24%', () => expect(f1OnPhishing(new RMSProp())).toBe('F1: 87.24%'));
  it('SGD(0.1): F1: 0.878521', () => {
    const metric = new F1();
    const model = new Pipeline([new StandardScaler(), new LogisticRegression({ optimizer: new SGD({ lr: 0.1 }) })]);
    progressiveValScore(phishing(), model, [metric]);
    expect(metric.get()).toBeCloseTo(0.878521, 6);
  });
});

describe('update rules, in River’s operation order', () => {
  it('Adam: bias-corrected step lr·√(1-β2^t)/(1-β1^t)·m/(√v+ε), about lr·sign(g) on the first step', () => {
    const w = stepOnce(new Adam(), [0.5, -2]);
    const lr = (0.1 * Math.sqrt(1 - 0.999)) / (1 - 0.9);
    for (const [id, g] of [[0, 0.5], [1, -2]] as const) {
      const m = 0.9 * 0 + (1 - 0.9) * g;
      const v = 0.999 * 0 + (1 - 0.999) * (g * g);
      expect(w.get(id)).toBe(0 - (lr * m) / (Math.sqrt(v) + 1e-8));
    }
    expect(w.get(0)).toBeCloseTo(-0.1, 6);
    expect(w.get(1)).toBeCloseTo(0.1, 6);
  });

  it('AdaGrad: w -= lr / √(Σg² + ε) · g, accumulating per feature', () => {
    const opt = new AdaGrad();
    const w = stepOnce(opt, [0.5, -2]);
    stepOnce(opt, [1, 0], w);
    const first = 0 - (0.1 / Math.sqrt(0.25 + 1e-8)) * 0.5;
    expect(w.get(0)).toBe(first - (0.1 / Math.sqrt(1.25 + 1e-8)) * 1);
    expect(w.get(1)).toBe(0 - (0.1 / Math.sqrt(4 + 1e-8)) * -2);
  });

  it('RMSProp: g2 = ρ·g2 + (1-ρ)·g², w -= lr / √(g2 + ε) · g', () => {
    const opt = new RMSProp();
    const w = stepOnce(opt, [0.5, -2]);
    stepOnce(opt, [1, 0], w);
    const g2a = 0.9 * (0.9 * 0 + (1 - 0.9) * 0.25) + (1 - 0.9) * 1;
    const first = 0 - (0.1 / Math.sqrt((1 - 0.9) * 0.25 + 1e-8)) * 0.5;
    expect(w.get(0)).toBe(first - (0.1 / Math.sqrt(g2a + 1e-8)) * 1);
  });
});

describe('inside a GLM, features absent from a sample follow River’s vector step', () => {
  function weightsAfter(optimizer: Optimizer): Record<string, number> {
    const lr = new LogisticRegression({ optimizer });
    lr.learnOne({ a: 1, b: 1 }, true);
    lr.learnOne({ a: 1 }, false);
    return (lr.getState() as { weights: Record<string, number> }).weights;
  }

  it('Adam decays the absent feature’s moments and overwrites its weight with -lr_t·m/(√v+ε)', () => {
    const g1 = -1 / (Math.exp(0) + 1); // Log gradient at z = 0 for y = true
    const m = (0.9 * 0 + (1 - 0.9) * g1) * 0.9;
    const v = (0.999 * 0 + (1 - 0.999) * (g1 * g1)) * 0.999;
    const lr2 = (0.1 * Math.sqrt(1 - 0.999 ** 2)) / (1 - 0.9 ** 2);
    expect(weightsAfter(new Adam()).b).toBe(0 - (m * lr2) / (Math.sqrt(v) + 1e-8));
  });

  it('RMSProp resets the absent feature’s weight to 0', () => {
    expect(weightsAfter(new RMSProp()).b).toBe(0);
  });

  it('AdaGrad and SGD leave the absent feature’s weight alone', () => {
    const first = new LogisticRegression({ optimizer: new AdaGrad() });
    first.learnOne({ a: 1, b: 1 }, true);
    const b = (first.getState() as { weights: Record<string, number> }).weights.b;
    expect(weightsAfter(new AdaGrad()).b).toBe(b);
    expect(weightsAfter(new SGD()).b).toBe(0.005);
  });
});

describe('optimizer snapshots', () => {
  const make = [() => new Adam({ lr: 0.05 }), () => new AdaGrad(), () => new RMSProp({ rho: 0.8 }), () => new SGD()];

  it.each(make.map((m) => [m().kind, m] as const))('%s: restoring its state and continuing gives the same bytes', (_, m) => {
    const run = (opt: Optimizer, from: number, to: number, w: Column) => {
      for (let t = from; t < to; t++) {
        const ids = t % 3 === 0 ? [0, 2] : [0, 1, 2];
        const grads = ids.map((id) => Math.sin(t + id));
        opt.step(w, Int32Array.from(ids), Float64Array.from(grads), ids.length);
      }
    };
    const names = new Vocabulary();
    ['a', 'b', 'c'].forEach((n) => names.intern(n));
    const straight = m();
    straight.bindVocabulary(names);
    const w1 = new Column();
    run(straight, 0, 20, w1);

    const first = m();
    first.bindVocabulary(names);
    const w2 = new Column();
    run(first, 0, 9, w2);
    const resumed = first.clone();
    resumed.bindVocabulary(names);
    resumed.setState(JSON.parse(canonicalJson(first.getState())));
    run(resumed, 9, 20, w2);

    expect(canonicalJson(resumed.getState())).toBe(canonicalJson(straight.getState()));
    for (const id of [0, 1, 2]) expect(w2.get(id)).toBe(w1.get(id));
    expect(resumed.toSpec()).toEqual(straight.toSpec());
  });

  it('state is keyed by feature name', () => {
    const lr = new LogisticRegression({ optimizer: new Adam() });
    lr.learnOne({ x: 1, y: 2 }, true);
    const state = lr.getState() as { optimizer: { m: Record<string, number>; nIterations: number } };
    expect(Object.keys(state.optimizer.m).sort()).toEqual(['x', 'y']);
    expect(state.optimizer.nIterations).toBe(1);
  });

  it('specs carry every parameter with River’s defaults', () => {
    expect(new Adam().toSpec()).toEqual({ type: 'Adam', lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    expect(new AdaGrad().toSpec()).toEqual({ type: 'AdaGrad', lr: 0.1, eps: 1e-8 });
    expect(new RMSProp().toSpec()).toEqual({ type: 'RMSProp', lr: 0.1, rho: 0.9, eps: 1e-8 });
  });
});
