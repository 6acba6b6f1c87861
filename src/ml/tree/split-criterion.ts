import { type Dist, distSum } from './class-dist.js';

/** How good a split is: River's `tree.split_criterion` classes. */
export interface SplitCriterion {
  /** The merit of splitting `pre` into `post`; -∞ when fewer than two branches are big enough. */
  meritOfSplit(pre: Dist, post: readonly Dist[]): number;
  /** The range of the merit, R in the Hoeffding bound. */
  rangeOfMerit(pre: Dist): number;
}

/** Each branch's weight (`sum(d.values())`) and their total, as River sums them. */
function branchWeights(post: readonly Dist[], weights: number[]): number {
  let total = 0;
  for (let i = 0; i < post.length; i++) {
    weights[i] = distSum(post[i]);
    total += weights[i];
  }
  return total;
}

/** How many of the branches hold more than `minFrac` of the total weight. */
function numSubsetsGreaterThanFrac(weights: readonly number[], total: number, minFrac: number, guardZero: boolean): number {
  if (guardZero && !(total > 0)) return 0;
  let count = 0;
  for (const s of weights) if (s / total > minFrac) count++;
  return count;
}

/** `log2(max(#classes, 2))`. */
function log2Classes(pre: Dist): number {
  return Math.log2(Math.max(pre.cls.length, 2));
}

function entropy(d: Dist): number {
  let h = 0;
  let sum = 0;
  for (const w of d.w) {
    if (w > 0) {
      h -= w * Math.log2(w);
      sum += w;
    }
  }
  return sum > 0 ? (h + sum * Math.log2(sum)) / sum : 0;
}

/**
 * Information gain: entropy before minus the weighted entropy after. Port of
 * river/tree/split_criterion/info_gain_split_criterion.py.
 */
export class InfoGainSplitCriterion implements SplitCriterion {
  constructor(readonly minBranchFraction: number) {}

  meritOfSplit(pre: Dist, post: readonly Dist[]): number {
    const weights: number[] = [];
    const total = branchWeights(post, weights);
    if (numSubsetsGreaterThanFrac(weights, total, this.minBranchFraction, true) < 2) return -Infinity;
    let after = 0;
    for (let i = 0; i < post.length; i++) after += weights[i] * entropy(post[i]);
    return entropy(pre) - after / total;
  }

  rangeOfMerit(pre: Dist): number {
    return log2Classes(pre);
  }
}

function gini(d: Dist, sum: number): number {
  let g = 1;
  if (sum !== 0) {
    for (const w of d.w) {
      const f = w / sum;
      g -= f * f;
    }
  }
  return g;
}

/** Gini impurity decrease. Port of river/tree/split_criterion/gini_split_criterion.py. */
export class GiniSplitCriterion implements SplitCriterion {
  constructor(readonly minBranchFraction: number) {}

  meritOfSplit(_pre: Dist, post: readonly Dist[]): number {
    const weights: number[] = [];
    const total = branchWeights(post, weights);
    if (numSubsetsGreaterThanFrac(weights, total, this.minBranchFraction, true) < 2) return -Infinity;
    let g = 0;
    for (let i = 0; i < post.length; i++) g += (weights[i] / total) * gini(post[i], weights[i]);
    return 1 - g;
  }

  rangeOfMerit(): number {
    return 1;
  }
}

function weightOf(d: Dist, c: number): number | undefined {
  const j = c < 0 ? -1 : d.cls.indexOf(c);
  return j < 0 ? undefined : d.w[j];
}

/**
 * Hellinger distance between the branches' class-0 and class-1 shares, for binary tasks whose
 * labels are 0/1 (or false/true). Port of river/tree/split_criterion/hellinger_distance_criterion.py.
 */
export class HellingerDistanceCriterion implements SplitCriterion {
  /** `zero` and `one`: the tree's class indices of the labels 0 and 1 (-1 when unseen). */
  constructor(
    readonly minBranchFraction: number,
    private readonly zero: number,
    private readonly one: number,
  ) {}

  meritOfSplit(_pre: Dist, post: readonly Dist[]): number {
    const weights: number[] = [];
    const total = branchWeights(post, weights);
    if (numSubsetsGreaterThanFrac(weights, total, this.minBranchFraction, false) < 2) return -Infinity;
    const lp = weightOf(post[0], this.one);
    const ln = weightOf(post[0], this.zero);
    const rp = post.length > 1 ? weightOf(post[1], this.one) : undefined;
    const rn = post.length > 1 ? weightOf(post[1], this.zero) : undefined;
    // River reads dist[0][1] … and returns 0 on a KeyError.
    if (lp === undefined || ln === undefined || rp === undefined || rn === undefined) return 0;
    const neg = ln + rn;
    const pos = lp + rp;
    const a = Math.sqrt(ln / neg) - Math.sqrt(lp / pos);
    const b = Math.sqrt(rn / neg) - Math.sqrt(rp / pos);
    return Math.sqrt(a * a + b * b);
  }

  rangeOfMerit(pre: Dist): number {
    return log2Classes(pre);
  }
}
