import type { ClassLabel, Task } from '../base/types.js';
import { MeanMetric } from './mean-metric.js';
import { type MetricPrediction, probabilityOfTrue, pythonTruthy } from './metric.js';

const EPS = 1e-15;

/**
 * Binary log loss: the mean of `-log p(yTrue)`, with `p(true)` read from the prediction and
 * clamped to `[1e-15, 1 - 1e-15]`. The truth counts as positive when it is truthy in Python's
 * sense (River's `if y_true:`). Prints the full float, as River's `_fmt = ""` does. Port of
 * river/metrics/log_loss.py.
 *
 * @example
 * const metric = new metrics.LogLoss();
 * const yTrue = [true, false, false, true];
 * const yPred = [0.9, 0.1, 0.2, 0.65];
 * yTrue.forEach((y, i) => metric.update(y, yPred[i]));
 * metric.get(); // => 0.216161 (River's docstring)
 * String(metric); // => LogLoss: 0.21616187468057912 (River's full repr)
 */
export class LogLoss extends MeanMetric {
  readonly kind = 'LogLoss';
  readonly requiresLabels = false;
  readonly bigIsBetter = false;
  readonly tasks: ReadonlyArray<Task> = ['binary'];
  protected override readonly format = '';

  protected evaluate(yTrue: ClassLabel, yPred: MetricPrediction): number {
    const p = Math.max(Math.min(probabilityOfTrue(yPred), 1 - EPS), EPS);
    return pythonTruthy(yTrue) ? -Math.log(p) : -Math.log(1 - p);
  }

  clone(): LogLoss {
    return new LogLoss();
  }
}
