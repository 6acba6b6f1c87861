import { asArray, asNumber, asObject } from '../base/snapshot.js';
import type { ClassLabel, Json, JsonObject } from '../base/types.js';
import { Metric, type MetricPrediction, probabilityOfTrue, pythonEquals } from './metric.js';

export interface ROCAUCOptions {
  /** Number of thresholds of the approximation. @default 10 */
  nThresholds?: number;
  /** The positive class. @default true */
  posVal?: ClassLabel;
}

/**
 * numpy's pairwise summation (`np.add.reduce` on float64), which River's trapezoid integral goes
 * through: below 8 terms a plain loop; up to 128 terms, 8 accumulators combined as a tree and the
 * remainder added after; above, split in halves (at a multiple of 8) recursively.
 */
export function pairwiseSum(t: ArrayLike<number>, start = 0, n = t.length - start): number {
  if (n < 8) {
    let s = -0;
    for (let i = 0; i < n; i++) s += t[start + i];
    return n === 0 ? 0 : s;
  }
  if (n <= 128) {
    const r = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let j = 0; j < 8; j++) r[j] = t[start + j];
    const n8 = n - (n % 8);
    for (let i = 8; i < n8; i += 8) for (let j = 0; j < 8; j++) r[j] += t[start + i + j];
    let s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (let i = n8; i < n; i++) s += t[start + i];
    return s;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(t, start, half) + pairwiseSum(t, start + half, n - half);
}

/**
 * Area under the ROC curve by River's thresholded approximation: one confusion matrix per
 * threshold, integrated with the trapezoid rule in numpy's summation order, so the value matches
 * River to the bit. Port of river/metrics/roc_auc.py. Reads `p(true)` whatever `posVal` is, as
 * River does; `yTrue` matches `posVal` by Python's `==` (so `1` is positive for `posVal: true`).
 * Reverting adds the pair with a negative weight, so it works inside `Rolling`.
 *
 * @example
 * const yTrue = [0, 0, 1, 1];
 * const yPred = [0.1, 0.4, 0.35, 0.8];
 * const metric = new metrics.ROCAUC();
 * yTrue.forEach((y, i) => metric.update(y, yPred[i]));
 * String(metric); // => ROCAUC: 87.50% (River's docstring)
 * const coarse = new metrics.ROCAUC({ nThresholds: 20 });
 * yTrue.forEach((y, i) => coarse.update(y, yPred[i]));
 * String(coarse); // => ROCAUC: 75.00% (River's docstring)
 */
export class ROCAUC extends Metric {
  readonly kind = 'ROCAUC';
  readonly requiresLabels = false;
  readonly bigIsBetter = true;
  readonly tasks = ['binary'] as const;
  readonly params: Readonly<Required<ROCAUCOptions>>;
  protected override readonly nameDefaults = { nThresholds: 10, posVal: true };
  private readonly thresholds: Float64Array;
  private tp: Float64Array;
  private fp: Float64Array;
  private tn: Float64Array;
  private fn: Float64Array;

  constructor(options: ROCAUCOptions = {}) {
    super();
    this.params = { nThresholds: options.nThresholds ?? 10, posVal: options.posVal ?? true };
    const n = this.params.nThresholds;
    if (!Number.isInteger(n) || n < 2) throw new RangeError('nThresholds must be an integer >= 2');
    this.thresholds = new Float64Array(n);
    for (let i = 0; i < n; i++) this.thresholds[i] = i / (n - 1);
    this.thresholds[0] -= 1e-7;
    this.thresholds[n - 1] += 1e-7;
    this.tp = new Float64Array(n);
    this.fp = new Float64Array(n);
    this.tn = new Float64Array(n);
    this.fn = new Float64Array(n);
  }

  update(yTrue: ClassLabel, yPred: MetricPrediction, w = 1): void {
    this.add(yTrue, yPred, w);
  }

  revert(yTrue: ClassLabel, yPred: MetricPrediction, w = 1): void {
    this.add(yTrue, yPred, -w);
  }

  private add(yTrue: ClassLabel, yPred: MetricPrediction, w: number): void {
    const positive = pythonEquals(yTrue, this.params.posVal);
    const p = probabilityOfTrue(yPred);
    const th = this.thresholds;
    for (let k = 0; k < th.length; k++) {
      const predicted = p > th[k];
      if (positive) {
        if (predicted) this.tp[k] += w;
        else this.fn[k] += w;
      } else if (predicted) this.fp[k] += w;
      else this.tn[k] += w;
    }
  }

  get(): number {
    const n = this.thresholds.length;
    const tpr = new Float64Array(n);
    const fpr = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const pos = this.tp[k] + this.fn[k];
      const neg = this.fp[k] + this.tn[k];
      tpr[k] = pos !== 0 ? this.tp[k] / pos : 0;
      fpr[k] = neg !== 0 ? this.fp[k] / neg : 0;
    }
    const terms = new Float64Array(n - 1);
    for (let k = 0; k < n - 1; k++) terms[k] = ((fpr[k + 1] - fpr[k]) * (tpr[k + 1] + tpr[k])) / 2;
    // River returns -0.0 before any update (and prints -0.00%); 0 - s is -s otherwise.
    return 0 - pairwiseSum(terms);
  }

  override toSpec(): JsonObject {
    return { type: this.kind, nThresholds: this.params.nThresholds, posVal: this.params.posVal };
  }

  getState(): Json {
    return { fn: [...this.fn], fp: [...this.fp], tn: [...this.tn], tp: [...this.tp] };
  }

  setState(state: Json): void {
    const s = asObject(state, this.kind);
    const read = (key: string) => {
      const values = asArray(s[key], `ROCAUC.${key}`).map((v) => asNumber(v, `ROCAUC.${key}`));
      if (values.length !== this.thresholds.length) throw new TypeError(`ROCAUC.${key}: wrong length`);
      return Float64Array.from(values);
    };
    this.tp = read('tp');
    this.fp = read('fp');
    this.tn = read('tn');
    this.fn = read('fn');
  }

  clone(): ROCAUC {
    return new ROCAUC(this.params);
  }
}
