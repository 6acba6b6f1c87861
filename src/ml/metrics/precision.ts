import { BinaryMetric, precisionOf } from './binary-metric.js';

/**
 * Binary precision: the share of positive predictions that were right. Port of
 * river/metrics/precision.py (`Precision`, `pos_val=True` by default).
 *
 * @example
 * const metric = new metrics.Precision();
 * const yTrue = [true, false, true, true, true];
 * const yPred = [true, true, false, true, true];
 * yTrue.forEach((y, i) => metric.update(y, yPred[i]));
 * String(metric); // => Precision: 75.00% (River's docstring)
 */
export class Precision extends BinaryMetric {
  readonly kind = 'Precision';

  get(): number {
    return precisionOf(this.cm);
  }

  clone(): Precision {
    return new Precision(this.params);
  }
}
