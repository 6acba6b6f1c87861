/** The numeric splitter of a Hoeffding tree classifier, as a spec. */
export interface GaussianSplitterSpec {
  type: 'GaussianSplitter';
  /** How many evenly spaced thresholds to try. @default 10 */
  nSplits?: number;
}

export type SplitCriterionName = 'info_gain' | 'gini' | 'hellinger';
export type LeafPrediction = 'mc' | 'nb' | 'nba';

/** `tree.HoeffdingTreeClassifier`'s parameters, River's names in camelCase. */
export interface HoeffdingTreeClassifierOptions {
  /** Weight a leaf must see between split attempts. @default 200 */
  gracePeriod?: number;
  /** Maximum depth; null grows without limit. @default null */
  maxDepth?: number | null;
  /** 'info_gain', 'gini' or 'hellinger' (binary 0/1 or false/true labels). @default 'info_gain' */
  splitCriterion?: SplitCriterionName;
  /** Significance level of the Hoeffding bound (1 - confidence). @default 1e-7 */
  delta?: number;
  /** Hoeffding bound below which a split is forced to break ties. @default 0.05 */
  tau?: number;
  /** Leaf prediction: majority class, naive Bayes, or adaptive naive Bayes. @default 'nba' */
  leafPrediction?: LeafPrediction;
  /** Weight a leaf must see before 'nb' leaves use naive Bayes. @default 0 */
  nbThreshold?: number;
  /** Features treated as nominal even when numeric; string features always are. @default null */
  nominalAttributes?: readonly string[] | null;
  /** The numeric feature observer. @default { type: 'GaussianSplitter', nSplits: 10 } */
  splitter?: GaussianSplitterSpec;
  /** Only binary splits (nominal features split as `x == v`). @default false */
  binarySplit?: boolean;
  /** Share of the weight at least two branches of a candidate must exceed. @default 0.01 */
  minBranchFraction?: number;
  /** A leaf whose majority class holds more than this share is not split. @default 0.99 */
  maxShareToSplit?: number;
  /** Whether "do not split" competes with the candidates (pre-pruning). @default true */
  meritPreprune?: boolean;
  /** Whether majority-class leaves drop the splitters of clearly poor features. @default false */
  removePoorAttrs?: boolean;
}

export interface HoeffdingTreeClassifierParams {
  gracePeriod: number;
  maxDepth: number | null;
  splitCriterion: SplitCriterionName;
  delta: number;
  tau: number;
  leafPrediction: LeafPrediction;
  nbThreshold: number;
  nominalAttributes: readonly string[] | null;
  splitter: Required<GaussianSplitterSpec>;
  binarySplit: boolean;
  minBranchFraction: number;
  maxShareToSplit: number;
  meritPreprune: boolean;
  removePoorAttrs: boolean;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(`HoeffdingTreeClassifier: ${message}`);
}

/** River's defaults filled in; invalid values throw a RangeError. */
export function hoeffdingTreeParams(o: HoeffdingTreeClassifierOptions): HoeffdingTreeClassifierParams {
  const p: HoeffdingTreeClassifierParams = {
    gracePeriod: o.gracePeriod ?? 200,
    maxDepth: o.maxDepth ?? null,
    splitCriterion: o.splitCriterion ?? 'info_gain',
    delta: o.delta ?? 1e-7,
    tau: o.tau ?? 0.05,
    leafPrediction: o.leafPrediction ?? 'nba',
    nbThreshold: o.nbThreshold ?? 0,
    nominalAttributes: o.nominalAttributes ? [...o.nominalAttributes] : null,
    splitter: { type: 'GaussianSplitter', nSplits: o.splitter?.nSplits ?? 10 },
    binarySplit: o.binarySplit ?? false,
    minBranchFraction: o.minBranchFraction ?? 0.01,
    maxShareToSplit: o.maxShareToSplit ?? 0.99,
    meritPreprune: o.meritPreprune ?? true,
    removePoorAttrs: o.removePoorAttrs ?? false,
  };
  check(Number.isFinite(p.gracePeriod) && p.gracePeriod > 0, 'gracePeriod must be > 0');
  check(p.maxDepth === null || (Number.isInteger(p.maxDepth) && p.maxDepth >= 0), 'maxDepth must be an integer >= 0 or null');
  check(['info_gain', 'gini', 'hellinger'].includes(p.splitCriterion), "splitCriterion must be 'info_gain', 'gini' or 'hellinger'");
  check(p.delta > 0 && p.delta < 1, 'delta must be in (0, 1)');
  check(Number.isFinite(p.tau) && p.tau >= 0, 'tau must be >= 0');
  check(['mc', 'nb', 'nba'].includes(p.leafPrediction), "leafPrediction must be 'mc', 'nb' or 'nba'");
  check(Number.isFinite(p.nbThreshold) && p.nbThreshold >= 0, 'nbThreshold must be >= 0');
  check(o.splitter === undefined || o.splitter.type === 'GaussianSplitter', "splitter.type must be 'GaussianSplitter'");
  check(Number.isInteger(p.splitter.nSplits) && p.splitter.nSplits >= 1, 'splitter.nSplits must be an integer >= 1');
  check(p.minBranchFraction >= 0 && p.minBranchFraction < 1, 'minBranchFraction must be in [0, 1)');
  check(p.maxShareToSplit > 0 && p.maxShareToSplit <= 1, 'maxShareToSplit must be in (0, 1]');
  return p;
}
