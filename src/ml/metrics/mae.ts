import type { ClassLabel } from '../base/types.js';
import { asFloat, type MetricPrediction } from './metric.js';
import { RegressionMeanMetric } from './regression-metric.js';

/**
 * Mean absolute error, a running `stats.Mean` of `|yTrue - yPred|`. Port of river/metrics/mae.py.
 *
 * @example
 * const metric = new metrics.MAE();
 * const yTrue = [3, -0.5, 2, 7];
 * const yPred = [2.5, 0.0, 2, 8];
 * yTrue.forEach((y, i) => metric.update(y, yPred[i]));
 * metric.get(); // => 0.5 (River's docstring)
 * String(metric); // => MAE: 0.5
 */
export class MAE extends RegressionMeanMetric {
  readonly kind = 'MAE';

  protected evaluate(yTrue: ClassLabel, yPred: MetricPrediction): number {
    return Math.abs(asFloat(yTrue, 'MAE') - asFloat(yPred, 'MAE'));
  }

  clone(): MAE {
    return new MAE();
  }
}
