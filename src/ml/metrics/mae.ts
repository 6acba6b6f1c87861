import type { ClassLabel } from '../base/types.js';
import { asFloat, type MetricPrediction } from './metric.js';
import { RegressionMeanMetric } from './regression-metric.js';

/**
 * Mean absolute error, a running `stats.Mean` of `|yTrue - yPred|`. Port of river/metrics/mae.py.
 *
 * @example
 * // River's doctest (get() after each pair: 0.5, 0.5, 0.333, 0.5)
 * const m = new MAE();
 * const yTrue = [3, -0.5, 2, 7];
 * const yPred = [2.5, 0.0, 2, 8];
 * yTrue.forEach((y, i) => m.update(y, yPred[i]));
 * m.toString(); // 'MAE: 0.5'
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
