import { Classifier } from '../base/classifier.js';
import { Column } from '../base/column.js';
import type { FeatureVector } from '../base/feature-vector.js';
import { asArray, asNumber, asObject } from '../base/snapshot.js';
import type { ClassLabel, Json, JsonObject, Probabilities } from '../base/types.js';
import { pairwiseSum } from '../metrics/roc-auc.js';

/** GaussianNB has no parameters in River. */
export type GaussianNBOptions = Record<string, never>;

/** One class's Gaussians: a `stats.Var(ddof=1)` per feature, as three columns. */
interface ClassGaussians {
  n: Column;
  mean: Column;
  s: Column;
}

// River adds 10e-10 to every density so that log(0) never happens.
const EPSILON = 10e-10;
const TAU = 2 * Math.PI;

/** `proba.Gaussian(x)`: the density, 0 while the sample variance (ddof=1) is 0. */
function density(g: ClassGaussians, id: number, x: number): number {
  const n = g.n.get(id);
  const variance = n > 1 ? g.s.get(id) / (n - 1) : 0;
  if (!(variance > 0)) return 0;
  const d = x - g.mean.get(id);
  return Math.exp((d * d) / (-2 * variance)) / Math.sqrt(TAU * variance);
}

function isLabel(value: Json | undefined): value is ClassLabel {
  return typeof value === 'boolean' || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * Gaussian naive Bayes: per class and per numeric feature a Gaussian (running mean and sample
 * variance), class priors from counts, and `log P(c) + Σ log(10e-10 + pdf_c,i(x_i))` as the joint
 * log-likelihood, normalised with log-sum-exp. Port of river/naive_bayes/gaussian.py (0.22),
 * river/proba/gaussian.py and river/stats/var.py.
 *
 * As in River, a class takes part in predictions once it has learnt a sample with at least one
 * numeric feature, classes keep the order in which they were first learnt, and every numeric
 * feature of `x` counts for every class: one the class has not seen, or whose variance is still 0,
 * adds `log(10e-10)`. Categorical (string) entries are skipped. Features no step of the model has
 * ever seen are dropped before they reach the estimator, so they add nothing (River would add the
 * same `log(10e-10)` to every class, which changes the probabilities only in the last bits).
 * Predicts an empty map before the first learn.
 *
 * Summation order follows River on CPython 3.11 (a plain left-to-right `sum`; CPython ≥ 3.12
 * compensates float sums) and `scipy.special.logsumexp` before SciPy 1.15
 * (`log(Σ exp(a - max)) + max`, the exponentials summed as numpy does).
 *
 * @example
 * const model = new naiveBayes.GaussianNB();
 * const X = [[-1, -1], [-2, -1], [-3, -2], [1, 1], [2, 1], [3, 2]];
 * const Y = [1, 1, 1, 2, 2, 2];
 * X.forEach(([a, b], i) => model.learnOne({ 0: a, 1: b }, Y[i]));
 * model.predictOne({ 0: -0.8, 1: -1 }); // => 1 (River's docstring)
 * model.predictProbaOne({ 0: -0.8, 1: -1 }); // => Map(2) { 1 => 0.999986, 2 => 0.0000137 } (ours)
 */
export class GaussianNB extends Classifier {
  readonly kind = 'GaussianNB';
  readonly multiclass = true;
  readonly params: Readonly<GaussianNBOptions> = {};
  /** River's `class_counts`; only their sum and each count matter, never their order. */
  private counts = new Map<ClassLabel, number>();
  private total = 0;
  /** River's `gaussians`, in the order classes first learnt a numeric feature. */
  private gaussians = new Map<ClassLabel, ClassGaussians>();

  constructor(_options: GaussianNBOptions = {}) {
    super();
  }

  learnVector(x: FeatureVector, y: ClassLabel): void {
    this.counts.set(y, (this.counts.get(y) ?? 0) + 1);
    this.total++;
    const { ids, values } = x;
    let g = this.gaussians.get(y);
    for (let i = 0; i < x.size; i++) {
      const xi = values[i];
      if (Number.isNaN(xi)) continue;
      if (g === undefined) {
        g = { n: new Column(), mean: new Column(), s: new Column() };
        this.gaussians.set(y, g);
      }
      const id = ids[i];
      // stats.Var.update with w = 1: Mean first, then S with the old and new means.
      const n = g.n.get(id) + 1;
      const old = g.mean.get(id);
      const mean = old + (1 / n) * (xi - old);
      g.n.set(id, n);
      g.mean.set(id, mean);
      g.s.set(id, g.s.get(id) + (xi - old) * (xi - mean));
    }
  }

  /** `log P(c) + log P(x|c)` per class, in River's class order. */
  jointLogLikelihood(x: FeatureVector): Map<ClassLabel, number> {
    const jll = new Map<ClassLabel, number>();
    const { ids, values } = x;
    for (const [label, g] of this.gaussians) {
      let sum = 0;
      for (let i = 0; i < x.size; i++) {
        const xi = values[i];
        if (!Number.isNaN(xi)) sum += Math.log(EPSILON + density(g, ids[i], xi));
      }
      jll.set(label, Math.log((this.counts.get(label) ?? 0) / this.total) + sum);
    }
    return jll;
  }

  predictProbaVector(x: FeatureVector): Probabilities {
    const jll = this.jointLogLikelihood(x);
    const out: Probabilities = new Map();
    if (jll.size === 0) return out;
    let max = -Infinity;
    for (const v of jll.values()) if (v > max) max = v;
    if (!Number.isFinite(max)) max = 0;
    const shifted = new Float64Array(jll.size);
    let k = 0;
    for (const v of jll.values()) shifted[k++] = Math.exp(v - max);
    const lse = Math.log(pairwiseSum(shifted)) + max;
    for (const [label, v] of jll) out.set(label, Math.exp(v - lse));
    return out;
  }

  toSpec(): JsonObject {
    return { type: this.kind };
  }

  getState(): Json {
    const names = this.vocabulary.names;
    const counts: Json[] = [];
    for (const [label, count] of this.counts) counts.push({ label, count });
    const gaussians: Json[] = [];
    for (const [label, g] of this.gaussians) {
      const features: JsonObject = {};
      for (const id of g.n.ids()) {
        features[names[id]] = { mean: g.mean.get(id), n: g.n.get(id), S: g.s.get(id) };
      }
      gaussians.push({ label, features });
    }
    return { counts, gaussians };
  }

  setState(state: Json): void {
    const s = asObject(state, this.kind);
    this.counts = new Map();
    this.total = 0;
    for (const item of asArray(s.counts, 'GaussianNB.counts')) {
      const entry = asObject(item, 'GaussianNB.counts[]');
      if (!isLabel(entry.label)) throw new TypeError('GaussianNB.counts[].label: expected a class label');
      const count = asNumber(entry.count, 'GaussianNB.counts[].count');
      this.counts.set(entry.label, count);
      this.total += count;
    }
    this.gaussians = new Map();
    for (const item of asArray(s.gaussians, 'GaussianNB.gaussians')) {
      const entry = asObject(item, 'GaussianNB.gaussians[]');
      if (!isLabel(entry.label)) throw new TypeError('GaussianNB.gaussians[].label: expected a class label');
      const g: ClassGaussians = { n: new Column(), mean: new Column(), s: new Column() };
      const features = asObject(entry.features ?? null, 'GaussianNB.gaussians[].features');
      for (const name of Object.keys(features)) {
        const f = asObject(features[name], `GaussianNB.gaussians[].features.${name}`);
        const id = this.vocabulary.intern(name);
        g.n.set(id, asNumber(f.n, `GaussianNB.gaussians[].features.${name}.n`));
        g.mean.set(id, asNumber(f.mean, `GaussianNB.gaussians[].features.${name}.mean`));
        g.s.set(id, asNumber(f.S, `GaussianNB.gaussians[].features.${name}.S`));
      }
      this.gaussians.set(entry.label, g);
    }
  }

  clone(): GaussianNB {
    return new GaussianNB();
  }
}
