import { BinaryMetric, recallOf } from './binary-metric.js';

/**
 * Binary recall: the share of positives that were predicted positive. Port of
 * river/metrics/recall.py (`Recall`, `pos_val=True` by default).
 *
 * @example
 * const metric = new metrics.Recall();
 * const yTrue = [true, false, true, true, true];
 * const yPred = [true, true, false, true, true];
 * yTrue.forEach((y, i) => metric.update(y, yPred[i]));
 * String(metric); // => Recall: 75.00% (River's docstring)
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
