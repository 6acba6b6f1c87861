import type { ClassLabel } from '../base/types.js';
import { asFloat, type MetricPrediction } from './metric.js';
import { RegressionMeanMetric } from './regression-metric.js';

/**
 * Mean squared error, a running `stats.Mean` of `(yTrue - yPred)²`. Port of river/metrics/mse.py.
 *
 * @example
 * const metric = new metrics.MSE();
 * const yTrue = [3, -0.5, 2, 7];
 * const yPred = [2.5, 0.0, 2, 8];
 * yTrue.forEach((y, i) => metric.update(y, yPred[i]));
 * metric.get(); // => 0.375 (River's docstring)
 */
export class MSE extends RegressionMeanMetric {
  readonly kind: string = 'MSE';

  protected evaluate(yTrue: ClassLabel, yPred: MetricPrediction): number {
    const d = asFloat(yTrue, this.kind) - asFloat(yPred, this.kind);
    // Python's `d ** 2` is the correctly rounded square, which `d * d` is too.
    return d * d;
  }

  clone(): MSE {
    return new MSE();
  }
}
