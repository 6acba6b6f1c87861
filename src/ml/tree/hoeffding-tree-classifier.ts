import { Classifier } from '../base/classifier.js';
import type { FeatureVector } from '../base/feature-vector.js';
import type { ClassLabel, Json, JsonObject, Probabilities } from '../base/types.js';
import { addTo, comparePython, copyDist, distSum, emptyDist } from './class-dist.js';
import { FeatureIndex } from './feature-index.js';
import { GaussianSplitter } from './gaussian-splitter.js';
import {
  type HoeffdingTreeClassifierOptions,
  type HoeffdingTreeClassifierParams,
  hoeffdingTreeParams,
} from './hoeffding-tree-options.js';
import { argmaxFirst, naiveBayes } from './naive-bayes.js';
import {
  type Branch,
  HTLeaf,
  leaves,
  mostCommonPath,
  NominalBinaryBranch,
  NominalMultiwayBranch,
  type Node,
  NumericBinaryBranch,
  totalWeight,
  traverse,
} from './nodes.js';
import { NominalSplitterClassif, nominalValue } from './nominal-splitter.js';
import {
  GiniSplitCriterion,
  HellingerDistanceCriterion,
  InfoGainSplitCriterion,
  type SplitCriterion,
} from './split-criterion.js';
import { NULL_SPLIT, type SplitContext, type SplitSuggestion } from './splitter.js';
import { readTreeState, writeTreeState } from './tree-state.js';

export type { HoeffdingTreeClassifierOptions } from './hoeffding-tree-options.js';

function byMerit(a: SplitSuggestion, b: SplitSuggestion): number {
  return a.merit < b.merit ? -1 : b.merit < a.merit ? 1 : 0;
}

/** No two classes with weight ≠ 0. */
function isPure(leaf: HTLeaf): boolean {
  let count = 0;
  for (const w of leaf.stats.w) if (w !== 0 && ++count === 2) return false;
  return true;
}

/**
 * Hoeffding Tree (Very Fast Decision Tree) classifier: a leaf splits once the Hoeffding bound
 * says its best candidate beats the runner-up (or the bound falls below `tau`), and leaves
 * predict by majority class, naive Bayes or adaptive naive Bayes. Numeric features are observed
 * with Gaussians per class, nominal ones (listed in `nominalAttributes`, or string-valued) with
 * counts. Port of river/tree/hoeffding_tree_classifier.py, hoeffding_tree.py, nodes/*.py,
 * split_criterion/*.py, splitter/gaussian_splitter.py, splitter/nominal_splitter_classif.py and
 * utils.py (River 0.22).
 *
 * River's memory management (`max_size`, `memory_estimate_period`, `stop_mem_management`) sizes
 * the tree with Python's `sys.getsizeof`, which cannot be reproduced: those parameters are not
 * accepted, and the tree behaves as River's does while River's size estimate stays under
 * `max_size` (100 MiB by default): after every split decision, leaves deactivated by pre-pruning
 * are reactivated with fresh splitters, exactly as River's `_enforce_size_limit` does then.
 *
 * Differences that cannot show in River's numbers: predicting never changes the model (River's
 * nominal splitters record weight-0 entries while naive Bayes reads them; learning replays those
 * entries, and with `leafPrediction: 'nb'` learning replays what River's prediction of the same
 * sample would record, as in progressive validation); string and numeric values of one feature
 * do not crash (a numeric test or Gaussian skips a string as missing).
 *
 * @example
 * const model = new tree.HoeffdingTreeClassifier({
 *   gracePeriod: 100,
 *   delta: 1e-5,
 *   nominalAttributes: ['elevel', 'car', 'zipcode'],
 * });
 * const metric = new metrics.Accuracy();
 * const stream = datasets.agrawal(1000, { classificationFunction: 0, seed: 42 });
 * evaluate.progressiveValScore(stream, new compose.Pipeline([model]), [metric]);
 * String(metric); // => Accuracy: 84.58% (River 0.22's docstring)
 */
export class HoeffdingTreeClassifier extends Classifier {
  readonly kind = 'HoeffdingTreeClassifier';
  readonly multiclass = true;
  override readonly acceptsCategories = true;
  readonly params: Readonly<HoeffdingTreeClassifierParams>;
  private readonly maxDepth: number;
  private readonly nominal: ReadonlySet<string>;

  /** Labels in the order first learnt; nodes refer to classes by their index here. */
  classes: ClassLabel[] = [];
  private classIndex = new Map<ClassLabel, number>();
  /** Class indices in Python's `sorted(classes)` order, and each index's rank in it. */
  private sorted: number[] = [];
  private rank: number[] = [];
  root: Node | null = null;
  nActiveLeaves = 0;
  nInactiveLeaves = 0;
  trainWeightSeen = 0;

  private readonly index = new FeatureIndex();
  private votes = new Float64Array(8);

  constructor(options: HoeffdingTreeClassifierOptions = {}) {
    super();
    this.params = Object.freeze(hoeffdingTreeParams(options));
    this.maxDepth = this.params.maxDepth ?? Infinity;
    this.nominal = new Set(this.params.nominalAttributes ?? []);
  }

  /** The class index of `label`, registering a new class. */
  classOf(label: ClassLabel): number {
    let c = this.classIndex.get(label);
    if (c === undefined) {
      c = this.classes.length;
      this.classes.push(label);
      this.classIndex.set(label, c);
      this.sorted = this.classes.map((_, i) => i).sort((a, b) => comparePython(this.classes[a], this.classes[b]));
      this.rank = new Array<number>(this.classes.length);
      this.sorted.forEach((ci, r) => (this.rank[ci] = r));
      if (this.votes.length < this.classes.length) this.votes = new Float64Array(this.classes.length * 2);
    }
    return c;
  }

  learnVector(x: FeatureVector, y: ClassLabel, w = 1): void {
    const c = this.classOf(y);
    this.trainWeightSeen += w;
    if (this.root === null) {
      this.root = new HTLeaf(emptyDist(), 0);
      this.nActiveLeaves = 1;
    }
    this.index.load(x);
    let parent: Branch | null = null;
    let parentBranch = -1;
    let node: Node = this.root;
    while (!node.isLeaf) {
      const b = node.branchNo(x, this.index);
      if (b < 0) break;
      parent = node;
      parentBranch = b;
      node = node.children[b];
    }
    if (node.isLeaf) {
      this.learnAtLeaf(node, x, c, w);
      this.maybeSplit(node, parent, parentBranch);
    } else {
      this.learnAtLeaf(this.leafFromBranch(node, x), x, c, w);
    }
  }

  /**
   * Where River sends a sample whose test cannot be applied: a new branch for a new category of
   * a multiway test, else down the most common path. No split attempt follows.
   */
  private leafFromBranch(branch: Branch, x: FeatureVector): HTLeaf {
    let node: Node = branch;
    while (!node.isLeaf) {
      const p = this.index.position(node.feature);
      if (node instanceof NominalMultiwayBranch && p >= 0) {
        const leaf = new HTLeaf(emptyDist(), node.depth + 1);
        node.addChild(nominalValue(x, p), leaf);
        this.nActiveLeaves++;
        node = leaf;
      } else {
        node = mostCommonPath(node);
        if (!node.isLeaf) node = traverse(node, x, this.index, false);
      }
    }
    return node;
  }

  private learnAtLeaf(leaf: HTLeaf, x: FeatureVector, c: number, w: number): void {
    const mode = this.params.leafPrediction;
    if (leaf.active && mode === 'nba') {
      const { stats } = leaf;
      if (stats.cls.length === 0 || stats.cls[this.majorityClass(leaf)] === c) leaf.mcCorrect += w;
      const k = naiveBayes(leaf, x, this.index, true, this.votes);
      if (k > 0 && stats.cls[argmaxFirst(this.votes, k)] === c) leaf.nbCorrect += w;
    } else if (leaf.active && mode === 'nb' && distSum(leaf.stats) >= this.params.nbThreshold) {
      naiveBayes(leaf, x, this.index, true, this.votes);
    }
    addTo(leaf.stats, c, w);
    if (leaf.active) this.updateSplitters(leaf, x, c, w);
  }

  /** Position in `leaf.stats` of the majority-class prediction (normalised weights, first max). */
  private majorityClass(leaf: HTLeaf): number {
    const total = distSum(leaf.stats);
    const { w } = leaf.stats;
    let best = 0;
    let bestP = total === 0 ? w[0] : w[0] / total;
    for (let j = 1; j < w.length; j++) {
      const p = total === 0 ? w[j] : w[j] / total;
      if (p > bestP) {
        best = j;
        bestP = p;
      }
    }
    return best;
  }

  private updateSplitters(leaf: HTLeaf, x: FeatureVector, c: number, w: number): void {
    const { ids, categories } = x;
    const names = this.vocabulary.names;
    for (let i = 0; i < x.size; i++) {
      const id = ids[i];
      if (leaf.disabled.size > 0 && leaf.disabled.has(id)) continue;
      let splitter = leaf.splitter(id);
      if (splitter === undefined) {
        const nominal = categories[i] !== undefined || this.nominal.has(names[id]);
        splitter = nominal ? new NominalSplitterClassif() : new GaussianSplitter(this.params.splitter.nSplits);
        leaf.addSplitter(id, splitter);
      }
      splitter.update(x, i, c, w);
    }
  }

  private maybeSplit(leaf: HTLeaf, parent: Branch | null, parentBranch: number): void {
    if (!leaf.active) return;
    if (leaf.depth >= this.maxDepth) {
      leaf.deactivate();
      this.nActiveLeaves--;
      this.nInactiveLeaves++;
      return;
    }
    const seen = distSum(leaf.stats);
    if (seen - leaf.lastSplitAttemptAt >= this.params.gracePeriod) {
      this.attemptToSplit(leaf, parent, parentBranch);
      leaf.lastSplitAttemptAt = seen;
    }
  }

  private newCriterion(): SplitCriterion {
    const { splitCriterion, minBranchFraction } = this.params;
    if (splitCriterion === 'gini') return new GiniSplitCriterion(minBranchFraction);
    if (splitCriterion === 'hellinger') {
      // River reads dist[0] and dist[1]: Python's 0/1 keys also match False/True.
      const zero = this.classIndex.get(0) ?? this.classIndex.get(false) ?? -1;
      const one = this.classIndex.get(1) ?? this.classIndex.get(true) ?? -1;
      return new HellingerDistanceCriterion(minBranchFraction, zero, one);
    }
    return new InfoGainSplitCriterion(minBranchFraction);
  }

  private bestSplitSuggestions(leaf: HTLeaf, context: SplitContext): SplitSuggestion[] {
    let majority = leaf.stats.w[0];
    for (const w of leaf.stats.w) if (w > majority) majority = w;
    if (majority !== 0 && majority / distSum(leaf.stats) > this.params.maxShareToSplit) return [NULL_SPLIT];
    const out: SplitSuggestion[] = this.params.meritPreprune ? [NULL_SPLIT] : [];
    for (let k = 0; k < leaf.splitters.length; k++) {
      out.push(leaf.splitters[k].bestEvaluatedSplitSuggestion(leaf.stats, leaf.splitterIds[k], context));
    }
    return out;
  }

  private attemptToSplit(leaf: HTLeaf, parent: Branch | null, parentBranch: number): void {
    if (isPure(leaf)) return;
    const criterion = this.newCriterion();
    const context: SplitContext = { criterion, classRank: this.rank, binaryOnly: this.params.binarySplit };
    const suggestions = this.bestSplitSuggestions(leaf, context).sort(byMerit);
    const n = suggestions.length;
    let shouldSplit = n > 0;
    if (n >= 2) {
      const range = criterion.rangeOfMerit(leaf.stats);
      const bound = Math.sqrt((range * range * Math.log(1 / this.params.delta)) / (2 * distSum(leaf.stats)));
      const best = suggestions[n - 1];
      shouldSplit = best.merit - suggestions[n - 2].merit > bound || bound < this.params.tau;
      if (this.params.removePoorAttrs) this.removePoorAttributes(leaf, suggestions, best.merit, bound);
    }
    if (!shouldSplit) return;
    const decision = suggestions[n - 1];
    if (decision.kind === 'null') {
      leaf.deactivate();
      this.nInactiveLeaves++;
      this.nActiveLeaves--;
    } else {
      const branch = this.assemble(decision, leaf);
      this.nActiveLeaves += branch.children.length - 1;
      if (parent === null) this.root = branch;
      else parent.children[parentBranch] = branch;
    }
    this.enforceSizeLimit();
  }

  /** Majority-class leaves drop the splitters of features clearly worse than the best; (adaptive) naive Bayes leaves keep them. */
  private removePoorAttributes(leaf: HTLeaf, suggestions: SplitSuggestion[], bestMerit: number, bound: number): void {
    if (this.params.leafPrediction !== 'mc') return;
    for (const s of suggestions) {
      // River tests the feature name's truthiness, so a feature named '' is never dropped.
      if (s.feature < 0 || this.vocabulary.names[s.feature] === '' || !(bestMerit - s.merit > bound)) continue;
      if (leaf.splitter(s.feature) !== undefined) {
        leaf.removeSplitter(s.feature);
        leaf.disabled.add(s.feature);
      }
    }
  }

  private assemble(decision: Exclude<SplitSuggestion, { kind: 'null' }>, leaf: HTLeaf): Branch {
    const children = decision.children.map((d) => new HTLeaf(copyDist(d), leaf.depth + 1));
    const stats = copyDist(leaf.stats);
    switch (decision.kind) {
      case 'numeric':
        return new NumericBinaryBranch(stats, decision.feature, decision.threshold, leaf.depth, children);
      case 'nominal-binary':
        return new NominalBinaryBranch(stats, decision.feature, decision.value, leaf.depth, children);
      case 'nominal-multiway':
        return new NominalMultiwayBranch(stats, decision.feature, decision.values, leaf.depth, children);
    }
  }

  /**
   * River's `_enforce_size_limit` while the size estimates are still 0 (no `sys.getsizeof` has
   * run): every inactive leaf that is not at the maximum depth is reactivated.
   */
  private enforceSizeLimit(): void {
    if (this.nInactiveLeaves === 0 || this.root === null) return;
    for (const leaf of leaves(this.root)) {
      if (!leaf.active && leaf.depth < this.maxDepth) {
        leaf.activate();
        this.nActiveLeaves++;
        this.nInactiveLeaves--;
      }
    }
  }

  private usesNaiveBayes(leaf: HTLeaf): boolean {
    if (!leaf.active) return false;
    const mode = this.params.leafPrediction;
    if (mode === 'nba') return leaf.nbCorrect >= leaf.mcCorrect;
    return mode === 'nb' && distSum(leaf.stats) >= this.params.nbThreshold;
  }

  predictProbaVector(x: FeatureVector): Probabilities {
    const out: Probabilities = new Map();
    if (this.root === null) return out;
    this.index.load(x);
    const leaf = traverse(this.root, x, this.index, true) as HTLeaf;
    const { cls, w } = leaf.stats;
    const votes = this.votes;
    let known = cls.length;
    if (this.usesNaiveBayes(leaf)) known = naiveBayes(leaf, x, this.index, false, votes);
    else {
      const total = distSum(leaf.stats);
      for (let j = 0; j < cls.length; j++) votes[j] = total === 0 ? w[j] : w[j] / total;
    }
    // River: {c: 0.0 for c in sorted(classes)} updated with the leaf's prediction.
    for (const c of this.sorted) {
      const j = known === 0 ? -1 : cls.indexOf(c);
      out.set(this.classes[c], j >= 0 ? votes[j] : 0);
    }
    return out;
  }

  toSpec(): JsonObject {
    const p = this.params;
    return {
      type: this.kind,
      gracePeriod: p.gracePeriod,
      maxDepth: p.maxDepth,
      splitCriterion: p.splitCriterion,
      delta: p.delta,
      tau: p.tau,
      leafPrediction: p.leafPrediction,
      nbThreshold: p.nbThreshold,
      nominalAttributes: p.nominalAttributes === null ? null : [...p.nominalAttributes],
      splitter: { ...p.splitter },
      binarySplit: p.binarySplit,
      minBranchFraction: p.minBranchFraction,
      maxShareToSplit: p.maxShareToSplit,
      meritPreprune: p.meritPreprune,
      removePoorAttrs: p.removePoorAttrs,
    };
  }

  getState(): Json {
    return writeTreeState(this, this.vocabulary.names);
  }

  setState(state: Json): void {
    const s = readTreeState(state, this.params.splitter.nSplits, (name) => this.vocabulary.intern(name));
    this.classes = [];
    this.classIndex = new Map();
    this.sorted = [];
    this.rank = [];
    for (const label of s.classes) this.classOf(label);
    this.root = s.root;
    this.nActiveLeaves = s.nActiveLeaves;
    this.nInactiveLeaves = s.nInactiveLeaves;
    this.trainWeightSeen = s.trainWeightSeen;
  }

  clone(): HoeffdingTreeClassifier {
    return new HoeffdingTreeClassifier(this.params);
  }
}
