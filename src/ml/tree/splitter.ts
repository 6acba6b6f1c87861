import type { FeatureVector } from '../base/feature-vector.js';
import type { ClassLabel, Json } from '../base/types.js';
import type { Dist, NominalValue } from './class-dist.js';
import type { SplitCriterion } from './split-criterion.js';

/**
 * A candidate split (River's `tree.utils.BranchFactory`): its merit, the feature (-1 for the null
 * split, "do not split"), the test and the class distributions of the resulting branches.
 */
export type SplitSuggestion =
  | { kind: 'null'; merit: number; feature: -1 }
  | { kind: 'numeric'; merit: number; feature: number; threshold: number; children: Dist[] }
  | { kind: 'nominal-binary'; merit: number; feature: number; value: NominalValue; children: Dist[] }
  | { kind: 'nominal-multiway'; merit: number; feature: number; values: NominalValue[]; children: Dist[] };

export const NULL_SPLIT: SplitSuggestion = { kind: 'null', merit: -Infinity, feature: -1 };

/** What a split evaluation needs from the tree. */
export interface SplitContext {
  criterion: SplitCriterion;
  /** Each class index's position in Python's `sorted(classes)`. */
  classRank: readonly number[];
  binaryOnly: boolean;
}

/**
 * A per-leaf, per-feature observer of class statistics (River's `tree.splitter.Splitter` for
 * classification): it feeds naive Bayes with `condProba` and proposes the feature's best split.
 */
export interface Splitter {
  readonly type: 'GaussianSplitter' | 'NominalSplitterClassif';
  /** Learns entry `i` of `x` for class `cls`. */
  update(x: FeatureVector, i: number, cls: number, w: number): void;
  /**
   * P(x_i | cls). With `register`, does what River's dict lookups do as a side effect (a nominal
   * splitter inserts the class and the category with weight 0); without, changes nothing.
   */
  condProba(x: FeatureVector, i: number, cls: number, register: boolean): number;
  bestEvaluatedSplitSuggestion(pre: Dist, feature: number, context: SplitContext): SplitSuggestion;
  getState(labels: readonly ClassLabel[]): Json;
}
