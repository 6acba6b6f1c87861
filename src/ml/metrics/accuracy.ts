import { asNumber, asObject } from '../base/snapshot.js';
import type { ClassLabel, Json } from '../base/types.js';
import { Metric, type MetricPrediction, pythonEquals } from './metric.js';

/**
 * Share of correct predictions (weighted). Port of river/metrics/accuracy.py; labels compare as
 * Python's `==` does (`True == 1`).
 *
 * @example
 * const metric = new metrics.Accuracy();
 * const yTrue = [true, false, true, true, true];
 * const yPred = [true, true, false, true, true];
 * yTrue.forEach((y, i) => metric.update(y, yPred[i]));
 * String(metric); // => Accuracy: 60.00% (River's docstring)
 * metric.get(); // => 0.6
 */
export class Accuracy extends Metric {
  readonly kind = 'Accuracy';
  readonly requiresLabels = true;
  readonly bigIsBetter = true;
  readonly tasks = ['binary', 'multiclass'] as const;
  private correct = 0;
  private total = 0;

  update(yTrue: ClassLabel, yPred: MetricPrediction, w = 1): void {
    if (pythonEquals(yTrue, yPred)) this.correct += w;
    this.total += w;
  }

  revert(yTrue: ClassLabel, yPred: MetricPrediction, w = 1): void {
    if (pythonEquals(yTrue, yPred)) this.correct -= w;
    this.total -= w;
  }

  get(): number {
    return this.total !== 0 ? this.correct / this.total : 0;
  }

  getState(): Json {
    return { correct: this.correct, total: this.total };
  }

  setState(state: Json): void {
    const s = asObject(state, this.kind);
    this.correct = asNumber(s.correct, 'Accuracy.correct');
    this.total = asNumber(s.total, 'Accuracy.total');
  }

  clone(): Accuracy {
    return new Accuracy();
  }
}
