import { BinaryMetric, precisionOf } from './binary-metric.js';

/**
 * Binary precision: the share of positive predictions that were right. Port of
 * river/metrics/precision.py (`Precision`, `pos_val=True` by default).
 *
 * @example
 * // River's doctest, printing after each pair
 * const m = new Precision();
 * const yTrue = [true, false, true, true, true];
 * const yPred = [true, true, false, true, true];
 * yTrue.forEach((y, i) => m.update(y, yPred[i])); // 100.00%, 50.00%, 50.00%, 66.67%
 * m.toString(); // 'Precision: 75.00%'
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
