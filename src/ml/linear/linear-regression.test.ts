import { describe, expect, it } from 'vitest';
import type { Features } from '../base/types.js';
import { Pipeline } from '../compose/pipeline.js';
import { progressiveValScore } from '../evaluate/progressive-validation.js';
import { MAE } from '../metrics/mae.js';
import { SGD } from '../optim/sgd.js';
import { StandardScaler } from '../preprocessing/standard-scaler.js';
import { trumpApproval } from '../../../test/support/datasets.js';
import { PythonRandom } from '../../../test/support/python-random.js';
import { LinearRegression } from './linear-regression.js';

function closeTo(actual: number, expected: number, relative = 1e-12): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));
}

/** River's BayesianLinearRegression drift example: 100 samples of each concept, both from Random(42). */
function driftStream(): Array<[Features, number]> {
  const out: Array<[Features, number]> = [];
  for (const [c0, c1] of [
    [0.1, 3],
    [10, -2],
  ]) {
    const rng = new PythonRandom(42);
    for (let i = 0; i < 100; i++) {
      const x = { 0: rng.random(), 1: rng.random() };
      out.push([x, 0 + c0 * x[0] + c1 * x[1]]);
    }
  }
  return out;
}

describe('LinearRegression', () => {
  it('scores River’s MAE: 0.558735 and intercept 35.617670959855616 on TrumpApproval (interceptLr 0.1)', () => {
    const lin = new LinearRegression({ interceptLr: 0.1 });
    const metric = new MAE();
    progressiveValScore(trumpApproval(), new Pipeline([new StandardScaler(), lin]), [metric]);
    expect(metric.toString()).toBe('MAE: 0.558735');
    closeTo(lin.intercept, 35.617670959855616);
  });

  it('scores River’s MAE: 0.242248 with SGD(0.5) on the abrupt-drift stream of BayesianLinearRegression’s docstring', () => {
    const metric = new MAE();
    progressiveValScore(driftStream(), new Pipeline([new LinearRegression({ optimizer: new SGD({ lr: 0.5 }) })]), [metric]);
    closeTo(metric.get(), 0.24224819866768085);
  });
});
