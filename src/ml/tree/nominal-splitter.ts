import type { FeatureVector } from '../base/feature-vector.js';
import { asArray, asNumber } from '../base/snapshot.js';
import type { ClassLabel, Json } from '../base/types.js';
import { comparePython, type Dist, type NominalValue } from './class-dist.js';
import { NULL_SPLIT, type SplitContext, type SplitSuggestion, type Splitter } from './splitter.js';

/** Entry `i` of `x` as a category: its string, or its number for a nominal numeric feature. */
export function nominalValue(x: FeatureVector, i: number): NominalValue {
  return x.categories[i] ?? x.values[i];
}

function isNominalValue(value: Json | undefined): value is NominalValue {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * Nominal feature observer: per class (in first-seen order) the weight of each category (in
 * first-seen order). Proposes a multiway split (one branch per category, in sorted order) unless
 * the tree is binary-only, and a binary split `x == v` for each category v. Port of
 * river/tree/splitter/nominal_splitter_classif.py.
 *
 * River keeps the categories in a set and tries the binary splits in set order; that order
 * matters only between equal merits, and we use sorted order, which is CPython's set order for
 * small non-negative ints (as Agrawal's categories) and deterministic otherwise.
 *
 * @example
 * // The tree makes one per leaf for each string feature and each one it is told is nominal.
 * const model = new tree.HoeffdingTreeClassifier({ nominalAttributes: ['zipcode'] });
 * model.params.nominalAttributes; // => [ 'zipcode' ]
 */
export class NominalSplitterClassif implements Splitter {
  readonly type = 'NominalSplitterClassif';
  totalWeight = 0;
  missingWeight = 0;
  /** River's `_att_values`: the categories ever learnt. */
  values = new Set<NominalValue>();
  cls: number[] = [];
  rows: Array<Map<NominalValue, number>> = [];

  private row(cls: number, create: boolean): Map<NominalValue, number> | undefined {
    const j = this.cls.indexOf(cls);
    if (j >= 0) return this.rows[j];
    if (!create) return undefined;
    const row = new Map<NominalValue, number>();
    this.cls.push(cls);
    this.rows.push(row);
    return row;
  }

  update(x: FeatureVector, i: number, cls: number, w: number): void {
    const value = nominalValue(x, i);
    this.values.add(value);
    const row = this.row(cls, true) as Map<NominalValue, number>;
    row.set(value, (row.get(value) ?? 0) + w);
    this.totalWeight += w;
  }

  condProba(x: FeatureVector, i: number, cls: number, register: boolean): number {
    // River's `defaultdict(dict)` lookup inserts an empty row for a class it has not seen.
    const row = this.row(cls, register);
    if (row === undefined) return 0;
    const count = row.get(nominalValue(x, i));
    if (count === undefined) return 0;
    let total = 0;
    for (const w of row.values()) total += w;
    return total === 0 ? 0 : count / total;
  }

  private sortByClass(weights: Map<number, number>, classRank: readonly number[]): Dist {
    const cls = [...weights.keys()].sort((a, b) => classRank[a] - classRank[b]);
    return { cls, w: cls.map((c) => weights.get(c) as number) };
  }

  /** One branch per category ever counted (including weight-0 ones), in sorted order. */
  private multiwaySplit(classRank: readonly number[]): Dist[] {
    const byValue = new Map<NominalValue, Map<number, number>>();
    for (let j = 0; j < this.cls.length; j++) {
      for (const [value, w] of this.rows[j]) {
        let dist = byValue.get(value);
        if (dist === undefined) byValue.set(value, (dist = new Map()));
        dist.set(this.cls[j], (dist.get(this.cls[j]) ?? 0) + w);
      }
    }
    return [...byValue.keys()].sort(comparePython).map((v) => this.sortByClass(byValue.get(v) as Map<number, number>, classRank));
  }

  private binarySplit(value: NominalValue): Dist[] {
    const equal: Dist = { cls: [], w: [] };
    const notEqual: Dist = { cls: [], w: [] };
    for (let j = 0; j < this.cls.length; j++) {
      let eq = 0;
      let ne = 0;
      let hasEq = false;
      let hasNe = false;
      for (const [v, w] of this.rows[j]) {
        if (v === value) {
          eq += w;
          hasEq = true;
        } else {
          ne += w;
          hasNe = true;
        }
      }
      if (hasEq) {
        equal.cls.push(this.cls[j]);
        equal.w.push(eq);
      }
      if (hasNe) {
        notEqual.cls.push(this.cls[j]);
        notEqual.w.push(ne);
      }
    }
    return [equal, notEqual];
  }

  bestEvaluatedSplitSuggestion(pre: Dist, feature: number, context: SplitContext): SplitSuggestion {
    let best = NULL_SPLIT;
    const sorted = [...this.values].sort(comparePython);
    if (!context.binaryOnly) {
      const children = this.multiwaySplit(context.classRank);
      const merit = context.criterion.meritOfSplit(pre, children);
      best = { kind: 'nominal-multiway', merit, feature, values: sorted, children };
    }
    for (const value of sorted) {
      const children = this.binarySplit(value);
      const merit = context.criterion.meritOfSplit(pre, children);
      if (merit > best.merit) best = { kind: 'nominal-binary', merit, feature, value, children };
    }
    return best;
  }

  getState(labels: readonly ClassLabel[]): Json {
    const classes: Json[] = this.cls.map((c, j) => [labels[c], [...this.rows[j]].map(([v, w]) => [v, w])]);
    return {
      type: this.type,
      totalWeight: this.totalWeight,
      missingWeight: this.missingWeight,
      values: [...this.values].sort(comparePython),
      classes,
    };
  }

  static fromState(state: { readonly [key: string]: Json | undefined }, classOf: (label: Json) => number): NominalSplitterClassif {
    const s = new NominalSplitterClassif();
    s.totalWeight = asNumber(state.totalWeight, 'NominalSplitterClassif.totalWeight');
    s.missingWeight = asNumber(state.missingWeight, 'NominalSplitterClassif.missingWeight');
    for (const v of asArray(state.values, 'NominalSplitterClassif.values')) {
      if (!isNominalValue(v)) throw new TypeError('NominalSplitterClassif.values: expected numbers or strings');
      s.values.add(v);
    }
    for (const item of asArray(state.classes, 'NominalSplitterClassif.classes')) {
      const [label, entries] = asArray(item, 'NominalSplitterClassif.classes[]');
      const row = new Map<NominalValue, number>();
      for (const entry of asArray(entries, 'NominalSplitterClassif.classes[][1]')) {
        const [v, w] = asArray(entry, 'NominalSplitterClassif category');
        if (!isNominalValue(v)) throw new TypeError('NominalSplitterClassif: expected a number or string category');
        row.set(v, asNumber(w, 'NominalSplitterClassif weight'));
      }
      s.cls.push(classOf(label));
      s.rows.push(row);
    }
    return s;
  }
}
