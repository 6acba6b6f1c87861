import { asNumber, asObject } from '../base/snapshot.js';
import type { ClassLabel, Json, Task } from '../base/types.js';
import { Var } from '../stats/var.js';
import { asFloat, Metric, type MetricPrediction } from './metric.js';

/**
 * Coefficient of determination, `1 - RSS / TSS`, with the total sum of squares taken as
 * `(n - 1) * Var(yTrue)` from a Welford `stats.Var`, and 0 while fewer than two samples were
 * seen or the truth has no variance. Port of river/metrics/r2.py.
 *
 * @example
 * const metric = new metrics.R2();
 * const yTrue = [3, -0.5, 2, 7];
 * const yPred = [2.5, 0.0, 2, 8];
 * yTrue.forEach((y, i) => metric.update(y, yPred[i]));
 * metric.get(); // => 0.9486 (River's docstring)
 * String(metric); // => R2: 0.948608
 */
export class R2 extends Metric {
  readonly kind = 'R2';
  readonly requiresLabels = true;
  readonly bigIsBetter = true;
  readonly tasks: ReadonlyArray<Task> = ['regression'];
  protected override readonly format = ',.6f';
  private yVar = new Var();
  private rss = 0;

  update(yTrue: ClassLabel, yPred: MetricPrediction, w = 1): void {
    const y = asFloat(yTrue, 'R2');
    const d = y - asFloat(yPred, 'R2');
    this.yVar.update(y, w);
    this.rss += d * d * w;
  }

  revert(yTrue: ClassLabel, yPred: MetricPrediction, w = 1): void {
    const y = asFloat(yTrue, 'R2');
    const d = y - asFloat(yPred, 'R2');
    // River reverts with `update(y, w=-w)`, the same bits as Var.revert; it divides by zero when
    // the count reaches 0, where we start afresh instead.
    this.yVar.revert(y, w);
    this.rss -= d * d * w;
    if (this.yVar.mean.n === 0) {
      this.yVar = new Var();
      this.rss = 0;
    }
  }

  get(): number {
    const n = this.yVar.mean.n;
    if (n <= 1) return 0;
    const tss = (n - 1) * this.yVar.get();
    return tss !== 0 ? 1 - this.rss / tss : 0;
  }

  getState(): Json {
    return { rss: this.rss, yVar: this.yVar.getState() };
  }

  setState(state: Json): void {
    const s = asObject(state, 'R2');
    this.rss = asNumber(s.rss, 'R2.rss');
    this.yVar.setState(s.yVar ?? null);
  }

  clone(): R2 {
    return new R2();
  }
}
