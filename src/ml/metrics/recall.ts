import { BinaryMetric, recallOf } from './binary-metric.js';

/**
 * Binary recall: the share of positives that were predicted positive. Port of
 * river/metrics/recall.py (`Recall`, `pos_val=True` by default).
 *
 * @example
 * // River's doctest, printing after each pair
 * const m = new Recall();
 * const yTrue = [true, false, true, true, true];
 * const yPred = [true, true, false, true, true];
 * yTrue.forEach((y, i) => m.update(y, yPred[i])); // 100.00%, 100.00%, 50.00%, 66.67%
 * m.toString(); // 'Recall: 75.00%'
 */
export class Recall extends BinaryMetric {
  readonly kind = 'Recall';

  get(): number {
    return recallOf(this.cm);
  }

  clone(): Recall {
    return new Recall(this.params);
  }
}
