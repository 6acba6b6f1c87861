import type { FeatureVector } from '../base/feature-vector.js';
import { distSum } from './class-dist.js';
import type { FeatureIndex } from './feature-index.js';
import type { HTLeaf } from './nodes.js';

let positions = new Int32Array(16);

/**
 * River's `tree.utils.do_naive_bayes_prediction` at a leaf: for each class of the leaf's
 * distribution (in its order), `log(prior) + Σ log P(x_f | class)` over the leaf's splitters (in
 * their order) whose feature is in `x` and whose probability is > 0, then normalised with
 * log-sum-exp. A class with weight 0 keeps a log-vote of 0 with no likelihood, as in River.
 * Writes the probabilities into `out` (aligned with `leaf.stats`) and returns how many there are:
 * 0 means River's `{}` (no class weight yet).
 *
 * `register` performs the insertions River's nominal splitters make while they are read (see
 * `Splitter.condProba`); it is set on the learning path only, so predicting changes nothing.
 */
export function naiveBayes(
  leaf: HTLeaf,
  x: FeatureVector,
  index: FeatureIndex,
  register: boolean,
  out: Float64Array,
): number {
  const { cls, w } = leaf.stats;
  const n = cls.length;
  if (n === 0) return 0;
  const total = distSum(leaf.stats);
  if (total === 0) return 0;
  const { splitterIds, splitters } = leaf;
  const m = splitters.length;
  if (positions.length < m) positions = new Int32Array(m * 2);
  for (let k = 0; k < m; k++) positions[k] = index.position(splitterIds[k]);
  for (let j = 0; j < n; j++) {
    if (!(w[j] > 0)) {
      out[j] = 0;
      continue;
    }
    let vote = Math.log(w[j] / total);
    for (let k = 0; k < m; k++) {
      const p = positions[k];
      if (p < 0) continue;
      const likelihood = splitters[k].condProba(x, p, cls[j], register);
      if (likelihood > 0) vote += Math.log(likelihood);
    }
    out[j] = vote;
  }
  let max = out[0];
  for (let j = 1; j < n; j++) if (out[j] > max) max = out[j];
  let sum = 0;
  for (let j = 0; j < n; j++) sum += Math.exp(out[j] - max);
  const lse = max + Math.log(sum);
  for (let j = 0; j < n; j++) out[j] = Math.exp(out[j] - lse);
  return n;
}

/** The position of the largest value among the first `n` (the first on a tie), as Python's `max(d, key=d.get)`. */
export function argmaxFirst(values: ArrayLike<number>, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (values[j] > values[best]) best = j;
  return best;
}
