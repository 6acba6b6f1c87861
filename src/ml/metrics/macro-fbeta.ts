import { asObject } from '../base/snapshot.js';
import type { ClassLabel, Json, JsonObject, Task } from '../base/types.js';
import { ConfusionMatrix } from './confusion-matrix.js';
import { fBetaScore } from './fbeta.js';
import { Metric, type MetricPrediction } from './metric.js';

export interface MacroFBetaOptions {
  /** Weight of recall in each class's harmonic mean. No default, as in River. */
  beta: number;
}

/**
 * Macro-averaged F-beta: each class's F-beta (that class against the rest), averaged over the
 * classes with a non-zero row or column in the confusion matrix. River sums over a Python set,
 * whose order varies between runs (±1 ulp for string labels); we sum in first-seen order.
 * Port of river/metrics/fbeta.py (`MacroFBeta`).
 *
 * @example
 * const metric = new metrics.MacroFBeta({ beta: 0.8 });
 * const yTrue = [0, 1, 2, 2, 2];
 * const yPred = [0, 0, 2, 2, 1];
 * yTrue.forEach((y, i) => metric.update(y, yPred[i]));
 * String(metric); // => MacroFBeta: 48.60% (River's docstring)
 */
export class MacroFBeta extends Metric {
  readonly kind: string = 'MacroFBeta';
  readonly requiresLabels = true;
  readonly bigIsBetter = true;
  readonly tasks: ReadonlyArray<Task> = ['binary', 'multiclass'];
  readonly beta: number;
  private readonly cm = new ConfusionMatrix();

  constructor(options: MacroFBetaOptions) {
    super();
    if (typeof options.beta !== 'number' || !Number.isFinite(options.beta) || options.beta < 0) {
      throw new RangeError('beta must be a number >= 0');
    }
    this.beta = options.beta;
  }

  update(yTrue: ClassLabel, yPred: MetricPrediction, w = 1): void {
    this.cm.update(yTrue, label(yPred), w);
  }

  revert(yTrue: ClassLabel, yPred: MetricPrediction, w = 1): void {
    this.cm.revert(yTrue, label(yPred), w);
  }

  get(): number {
    const b2 = this.beta * this.beta;
    const classes = this.cm.classes;
    let total = 0;
    for (const c of classes) {
      const tp = this.cm.cell(c, c);
      const col = this.cm.sumCol(c);
      const row = this.cm.sumRow(c);
      total += fBetaScore(col !== 0 ? tp / col : 0, row !== 0 ? tp / row : 0, b2);
    }
    return classes.length > 0 ? total / classes.length : 0;
  }

  override toSpec(): JsonObject {
    return { type: this.kind, beta: this.beta };
  }

  getState(): Json {
    return { cm: this.cm.getState() };
  }

  setState(state: Json): void {
    this.cm.setState(asObject(state, this.kind).cm ?? null);
  }

  clone(): MacroFBeta {
    return new MacroFBeta({ beta: this.beta });
  }
}

/** A multiclass metric scores labels; probabilities reaching it are a caller's mistake. */
function label(yPred: MetricPrediction): ClassLabel {
  if (yPred instanceof Map) throw new TypeError('macro-averaged metrics score predicted labels, not class probabilities');
  return yPred;
}
