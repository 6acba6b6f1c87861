import type { FeatureVector } from '../base/feature-vector.js';
import { type Dist, distSum, type NominalValue } from './class-dist.js';
import type { FeatureIndex } from './feature-index.js';
import { nominalValue } from './nominal-splitter.js';
import type { Splitter } from './splitter.js';

/**
 * A leaf of a Hoeffding tree (River's `HTLeaf` and the classifier leaves of
 * river/tree/nodes/htc_nodes.py): its class distribution, depth, the weight seen at the last
 * split attempt, one splitter per feature in first-seen order (none while inactive), the
 * attributes disabled by `removePoorAttrs`, and the adaptive naive Bayes counters.
 */
export class HTLeaf {
  readonly isLeaf = true;
  lastSplitAttemptAt: number;
  active = true;
  /** Feature ids of the splitters, in the order River's `splitters` dict got them. */
  splitterIds: number[] = [];
  splitters: Splitter[] = [];
  private byId = new Map<number, Splitter>();
  disabled = new Set<number>();
  /** `LeafNaiveBayesAdaptive`'s weights of samples the majority class / naive Bayes got right. */
  mcCorrect = 0;
  nbCorrect = 0;

  constructor(
    public stats: Dist,
    public depth: number,
  ) {
    this.lastSplitAttemptAt = distSum(stats);
  }

  splitter(id: number): Splitter | undefined {
    return this.byId.get(id);
  }

  addSplitter(id: number, splitter: Splitter): void {
    this.byId.set(id, splitter);
    this.splitterIds.push(id);
    this.splitters.push(splitter);
  }

  removeSplitter(id: number): void {
    const k = this.splitterIds.indexOf(id);
    if (k < 0) return;
    this.byId.delete(id);
    this.splitterIds.splice(k, 1);
    this.splitters.splice(k, 1);
  }

  /** River's `deactivate`: the splitters are dropped. */
  deactivate(): void {
    this.active = false;
    this.byId.clear();
    this.splitterIds = [];
    this.splitters = [];
  }

  /** River's `activate`: an inactive leaf starts again with no splitters. */
  activate(): void {
    this.active = true;
  }
}

/** `x[feature] <= threshold` goes left (branch 0). */
export class NumericBinaryBranch {
  readonly isLeaf = false;
  readonly kind = 'NumericBinaryBranch';
  readonly maxBranches = 2;

  constructor(
    public stats: Dist,
    public feature: number,
    public threshold: number,
    public depth: number,
    public children: Node[],
  ) {}

  /** The branch `x` takes, or -1 where River meets a KeyError (feature missing, or a category). */
  branchNo(x: FeatureVector, index: FeatureIndex): number {
    const p = index.position(this.feature);
    if (p < 0 || x.categories[p] !== undefined) return -1;
    return x.values[p] <= this.threshold ? 0 : 1;
  }
}

/** `x[feature] == value` goes left (branch 0). */
export class NominalBinaryBranch {
  readonly isLeaf = false;
  readonly kind = 'NominalBinaryBranch';
  readonly maxBranches = 2;

  constructor(
    public stats: Dist,
    public feature: number,
    public value: NominalValue,
    public depth: number,
    public children: Node[],
  ) {}

  branchNo(x: FeatureVector, index: FeatureIndex): number {
    const p = index.position(this.feature);
    if (p < 0) return -1;
    return nominalValue(x, p) === this.value ? 0 : 1;
  }
}

/** One branch per category; a category never seen gets a new branch when learnt. */
export class NominalMultiwayBranch {
  readonly isLeaf = false;
  readonly kind = 'NominalMultiwayBranch';
  readonly maxBranches = -1;
  /** Category → branch, in insertion order. */
  mapping = new Map<NominalValue, number>();

  constructor(
    public stats: Dist,
    public feature: number,
    values: readonly NominalValue[],
    public depth: number,
    public children: Node[],
  ) {
    values.forEach((v, i) => this.mapping.set(v, i));
  }

  branchNo(x: FeatureVector, index: FeatureIndex): number {
    const p = index.position(this.feature);
    if (p < 0) return -1;
    return this.mapping.get(nominalValue(x, p)) ?? -1;
  }

  addChild(value: NominalValue, child: Node): void {
    this.mapping.set(value, this.children.length);
    this.children.push(child);
  }
}

export type Branch = NumericBinaryBranch | NominalBinaryBranch | NominalMultiwayBranch;
export type Node = HTLeaf | Branch;

/** River's `total_weight`: a leaf's class weights, a branch's children's, summed left to right. */
export function totalWeight(node: Node): number {
  if (node.isLeaf) return distSum(node.stats);
  let s = 0;
  for (const child of node.children) s += totalWeight(child);
  return s;
}

/** The child that has seen the most weight (the first on a tie; binary: left unless right is heavier). */
export function mostCommonPath(branch: Branch): Node {
  const { children } = branch;
  if (branch.maxBranches === 2) {
    return totalWeight(children[0]) < totalWeight(children[1]) ? children[1] : children[0];
  }
  let best = 0;
  let bestWeight = -Infinity;
  for (let i = 0; i < children.length; i++) {
    const w = totalWeight(children[i]);
    if (w > bestWeight) {
      best = i;
      bestWeight = w;
    }
  }
  return children[best];
}

/**
 * River's `Branch.walk`/`traverse` from `node`: follows `x` down; where a test cannot be applied,
 * takes the most common path (`untilLeaf`) or stops at that branch.
 */
export function traverse(node: Node, x: FeatureVector, index: FeatureIndex, untilLeaf: boolean): Node {
  let current = node;
  while (!current.isLeaf) {
    const b = current.branchNo(x, index);
    if (b >= 0) current = current.children[b];
    else if (untilLeaf) current = mostCommonPath(current);
    else break;
  }
  return current;
}

/** Every leaf, left to right. */
export function* leaves(node: Node): Generator<HTLeaf> {
  if (node.isLeaf) yield node;
  else for (const child of node.children) yield* leaves(child);
}
