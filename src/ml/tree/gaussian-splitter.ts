import type { FeatureVector } from '../base/feature-vector.js';
import { asArray, asNumber } from '../base/snapshot.js';
import type { ClassLabel, Json } from '../base/types.js';
import type { Dist } from './class-dist.js';
import { erf } from './erf.js';
import { NULL_SPLIT, type SplitContext, type SplitSuggestion, type Splitter } from './splitter.js';

const TAU = 2 * Math.PI;
const SQRT2 = Math.sqrt(2);

/**
 * Numeric feature observer that models each class with a Gaussian (`proba.Gaussian`, a
 * `stats.Var(ddof=1)`) and its min/max, and proposes `nSplits` evenly spaced thresholds scored
 * with the Gaussian CDFs. Port of river/tree/splitter/gaussian_splitter.py and
 * river/proba/gaussian.py. Per class, in the order classes were first seen: `n` (weight), `mean`,
 * `s` (Welford's sum of squares), `min`, `max`.
 *
 * @example
 * // The tree makes one per leaf and numeric feature, as its `splitter` param says.
 * const model = new tree.HoeffdingTreeClassifier({ splitter: { type: 'GaussianSplitter', nSplits: 20 } });
 * model.params.splitter; // => { type: 'GaussianSplitter', nSplits: 20 }
 */
export class GaussianSplitter implements Splitter {
  readonly type = 'GaussianSplitter';
  cls: number[] = [];
  n: number[] = [];
  mean: number[] = [];
  s: number[] = [];
  min: number[] = [];
  max: number[] = [];
  /** Per slot, `sqrt(tau * variance)` for the density, or -1 until needed since the last update. */
  private norm: number[] = [];

  constructor(readonly nSplits: number) {}

  update(x: FeatureVector, i: number, cls: number, w: number): void {
    // River would raise on a string here; the entry is skipped as missing instead.
    if (x.categories[i] !== undefined) return;
    const v = x.values[i];
    let j = this.cls.indexOf(cls);
    if (j < 0) {
      j = this.cls.length;
      this.cls.push(cls);
      this.n.push(0);
      this.mean.push(0);
      this.s.push(0);
      this.min.push(v);
      this.max.push(v);
      this.norm.push(-1);
    } else {
      if (v < this.min[j]) this.min[j] = v;
      if (v > this.max[j]) this.max[j] = v;
    }
    // stats.Var.update: the Mean first (`mean += (w / n) * (x - mean)`), then S.
    const old = this.mean[j];
    this.n[j] += w;
    this.mean[j] += (w / this.n[j]) * (v - old);
    this.s[j] += w * (v - old) * (v - this.mean[j]);
    this.norm[j] = -1;
  }

  private variance(j: number): number {
    const n = this.n[j];
    return n > 1 ? this.s[j] / (n - 1) : 0;
  }

  /** The Gaussian density of class slot `j` at `v`; 0 while its variance is 0. */
  private pdf(j: number, v: number): number {
    const variance = this.variance(j);
    if (!(variance > 0)) return 0;
    let norm = this.norm[j];
    if (norm < 0) norm = this.norm[j] = Math.sqrt(TAU * variance);
    const d = v - this.mean[j];
    return Math.exp((d * d) / (-2 * variance)) / norm;
  }

  /** The Gaussian CDF of class slot `j` at `v`; 0 while its variance is 0. */
  private cdf(j: number, v: number): number {
    const sigma = Math.sqrt(this.variance(j));
    if (!(sigma > 0)) return 0;
    return 0.5 * (1 + erf((v - this.mean[j]) / (sigma * SQRT2)));
  }

  condProba(x: FeatureVector, i: number, cls: number): number {
    if (x.categories[i] !== undefined) return 0;
    const j = this.cls.indexOf(cls);
    return j < 0 ? 0 : this.pdf(j, x.values[i]);
  }

  private splitPoints(): number[] {
    let min = Infinity;
    let max = -Infinity;
    for (let j = 0; j < this.cls.length; j++) {
      if (this.min[j] < min) min = this.min[j];
      if (this.max[j] > max) max = this.max[j];
    }
    const points: number[] = [];
    if (min < Infinity) {
      let bin = max - min;
      bin /= this.nSplits + 1;
      for (let i = 0; i < this.nSplits; i++) {
        const point = min + bin * (i + 1);
        if (min < point && point < max) points.push(point);
      }
    }
    return points;
  }

  private binarySplit(point: number): Dist[] {
    const lhs: Dist = { cls: [], w: [] };
    const rhs: Dist = { cls: [], w: [] };
    for (let j = 0; j < this.cls.length; j++) {
      const c = this.cls[j];
      const n = this.n[j];
      if (point < this.min[j]) {
        rhs.cls.push(c);
        rhs.w.push(n);
      } else if (point >= this.max[j]) {
        lhs.cls.push(c);
        lhs.w.push(n);
      } else {
        const left = this.cdf(j, point) * n;
        lhs.cls.push(c);
        lhs.w.push(left);
        rhs.cls.push(c);
        rhs.w.push(n - left);
      }
    }
    return [lhs, rhs];
  }

  bestEvaluatedSplitSuggestion(pre: Dist, feature: number, context: SplitContext): SplitSuggestion {
    let best = NULL_SPLIT;
    for (const threshold of this.splitPoints()) {
      const children = this.binarySplit(threshold);
      const merit = context.criterion.meritOfSplit(pre, children);
      if (merit > best.merit) best = { kind: 'numeric', merit, feature, threshold, children };
    }
    return best;
  }

  getState(labels: readonly ClassLabel[]): Json {
    const classes: Json[] = this.cls.map((c, j) => [labels[c], this.n[j], this.mean[j], this.s[j], this.min[j], this.max[j]]);
    return { type: this.type, classes };
  }

  static fromState(state: Json[], nSplits: number, classOf: (label: Json) => number): GaussianSplitter {
    const g = new GaussianSplitter(nSplits);
    for (const item of state) {
      const [label, n, mean, s, min, max] = asArray(item, 'GaussianSplitter.classes[]');
      g.cls.push(classOf(label));
      g.n.push(asNumber(n, 'GaussianSplitter n'));
      g.mean.push(asNumber(mean, 'GaussianSplitter mean'));
      g.s.push(asNumber(s, 'GaussianSplitter S'));
      g.min.push(asNumber(min, 'GaussianSplitter min'));
      g.max.push(asNumber(max, 'GaussianSplitter max'));
      g.norm.push(-1);
    }
    return g;
  }
}
