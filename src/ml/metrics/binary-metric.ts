import { asObject } from '../base/snapshot.js';
import type { ClassLabel, Json, JsonObject, Task } from '../base/types.js';
import { ConfusionMatrix } from './confusion-matrix.js';
import { Metric, type MetricPrediction, pythonEquals } from './metric.js';

export interface BinaryMetricOptions {
  /** The label treated as positive. @default true */
  posVal?: ClassLabel;
}

/**
 * Base of the binary label metrics (River's `metrics.base.BinaryMetric`): each pair is recorded
 * in a confusion matrix as `(yTrue == posVal, yPred == posVal)`, compared with Python's `==`, so
 * the positive class is always the cell `true`. River then looks the counts up under `pos_val`
 * itself, which only finds them when `pos_val` is `True` (or `1`); we read the `true` cell for
 * any `posVal`, which is what River means and the same numbers for its default.
 */
export abstract class BinaryMetric extends Metric {
  readonly requiresLabels = true;
  readonly bigIsBetter = true;
  readonly tasks: ReadonlyArray<Task> = ['binary'];
  readonly params: Readonly<{ posVal: ClassLabel }>;
  protected readonly cm = new ConfusionMatrix();
  protected override readonly nameDefaults = { posVal: true };

  constructor(options: BinaryMetricOptions = {}) {
    super();
    this.params = { posVal: options.posVal ?? true };
  }

  update(yTrue: ClassLabel, yPred: MetricPrediction, w = 1): void {
    this.cm.update(pythonEquals(yTrue, this.params.posVal), pythonEquals(yPred, this.params.posVal), w);
  }

  revert(yTrue: ClassLabel, yPred: MetricPrediction, w = 1): void {
    this.cm.revert(pythonEquals(yTrue, this.params.posVal), pythonEquals(yPred, this.params.posVal), w);
  }

  override toSpec(): JsonObject {
    return { type: this.kind, posVal: this.params.posVal };
  }

  getState(): Json {
    return { cm: this.cm.getState() };
  }

  setState(state: Json): void {
    this.cm.setState(asObject(state, this.kind).cm ?? null);
  }
}

/** River's precision: `tp / (tp + fp)` for the `true` cell, 0 when nothing was predicted positive. */
export function precisionOf(cm: ConfusionMatrix): number {
  const tp = cm.truePositives(true);
  const fp = cm.falsePositives(true);
  const d = tp + fp;
  return d !== 0 ? tp / d : 0;
}

/** River's recall: `tp / (tp + fn)` for the `true` cell, 0 when no positive was seen. */
export function recallOf(cm: ConfusionMatrix): number {
  const tp = cm.truePositives(true);
  const fn = cm.falseNegatives(true);
  const d = tp + fn;
  return d !== 0 ? tp / d : 0;
}
