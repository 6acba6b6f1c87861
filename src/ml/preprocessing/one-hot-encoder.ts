import type { FeatureVector } from '../base/feature-vector.js';
import { asArray, asObject } from '../base/snapshot.js';
import { Transformer } from '../base/transformer.js';
import type { Json, JsonObject } from '../base/types.js';
import type { Vocabulary } from '../base/vocabulary.js';

export interface OneHotEncoderOptions {
  /**
   * Fixed categories per feature (`{ colour: ['red', 'blue'] }`): only these are encoded and
   * nothing is learnt. `null` learns the categories from the data. (River added this parameter
   * in 0.24; 0.22 always learns.) @default null
   */
  categories?: Readonly<Record<string, readonly string[]>> | null;
  /** Emit only the 1s, not a 0 for every other known category. @default false */
  dropZeros?: boolean;
  /** Drop the encoded output whose name is smallest, giving k - 1 dummies for k levels. @default false */
  dropFirst?: boolean;
}

/** Python's string order (by code point), which differs from UTF-16 order for astral characters. */
function codePointLess(a: string, b: string): boolean {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (cb.done) return false;
    if (ca.done) return true;
    const pa = ca.value.codePointAt(0)!;
    const pb = cb.value.codePointAt(0)!;
    if (pa !== pb) return pa < pb;
  }
}

/**
 * One-hot encodes categorical (string) features: feature `f` with value `v` becomes the feature
 * `f_v` = 1, and, unless `dropZeros`, every other category seen so far becomes `f_w` = 0. Port of
 * river/preprocessing/one_hot.py.
 *
 * River encodes every feature it is given and leaves choosing them to `compose.Select`; eddy's
 * pipelines are linear, so this encoder encodes only the string entries and **passes numeric
 * features through unchanged**, first and in the input's order, followed by the encoded block.
 * `[OneHotEncoder, StandardScaler, LogisticRegression]` therefore works on mixed data as a River
 * user would expect: categories become dummies, measurements stay measurements. A number that is
 * really a code (a zip code, a class id) must be sent as a string to be encoded.
 *
 * The encoded block lists known categories in the order they were first learnt (River 0.22 lists
 * them in Python's set order, which varies between runs; River ≥ 0.25 uses first-learnt order too).
 * Predicting never learns: a category never learnt contributes nothing (River would emit `f_v` = 1
 * for it, which a downstream linear model or scaler reads exactly as nothing). The learnt
 * categories are kept even with `dropZeros`, where River keeps none, so that a restored encoder
 * knows the same outputs.
 *
 * @example
 * // River's docstring rows (random.seed(42), two random.choice(ascii_lowercase) each); River
 * // prints the same entries with the keys sorted.
 * const encoder = new preprocessing.OneHotEncoder();
 * encoder.learnOne({ c1: 'u', c2: 'd' });
 * encoder.transformOne({ c1: 'u', c2: 'd' }); // => { c1_u: 1, c2_d: 1 }
 * encoder.learnOne({ c1: 'a', c2: 'x' });
 * encoder.transformOne({ c1: 'a', c2: 'x' }); // => { c1_u: 0, c2_d: 0, c1_a: 1, c2_x: 1 }
 * // Numeric features pass through unchanged, before the encoded block:
 * encoder.learnOne({ age: 42, c1: 'a' });
 * encoder.transformOne({ age: 42, c1: 'a' }); // => { age: 42, c1_u: 0, c2_d: 0, c1_a: 1, c2_x: 0 } (ours)
 */
export class OneHotEncoder extends Transformer {
  readonly kind = 'OneHotEncoder';
  override readonly acceptsCategories = true;
  readonly params: Readonly<Required<OneHotEncoderOptions>>;
  /** Every (feature, category) pair known, in block order. */
  private pairs: Array<[string, string]> = [];
  /** feature name → category → position in the encoded block. */
  private positions = new Map<string, Map<string, number>>();
  /** Vocabulary ids of the encoded block's features (pairs whose names collide share one). */
  private blockIds: number[] = [];
  private positionOfId = new Map<number, number>();

  constructor(options: OneHotEncoderOptions = {}) {
    super();
    const categories = options.categories ?? null;
    this.params = {
      categories: categories === null ? null : OneHotEncoder.copyCategories(categories),
      dropZeros: options.dropZeros ?? false,
      dropFirst: options.dropFirst ?? false,
    };
    this.reset();
  }

  /** Fixed categories in a canonical order: features sorted, each feature's list as given. */
  private static copyCategories(categories: Readonly<Record<string, readonly string[]>>) {
    const copy: Record<string, readonly string[]> = {};
    for (const name of Object.keys(categories).sort()) copy[name] = [...categories[name]];
    return copy;
  }

  private reset(): void {
    this.pairs = [];
    this.positions = new Map();
    this.blockIds = [];
    this.positionOfId = new Map();
    const fixed = this.params.categories;
    if (fixed === null) return;
    for (const name of Object.keys(fixed)) for (const value of fixed[name]) this.add(name, value);
  }

  private add(name: string, value: string): void {
    let byValue = this.positions.get(name);
    if (byValue === undefined) {
      byValue = new Map();
      this.positions.set(name, byValue);
      // The input name must be known too: predicting only looks names up, and a restored
      // encoder that had not interned it would never see the feature.
      this.vocabulary.intern(name);
    }
    if (byValue.has(value)) return;
    this.pairs.push([name, value]);
    const id = this.vocabulary.intern(`${name}_${value}`);
    let position = this.positionOfId.get(id);
    if (position === undefined) {
      position = this.blockIds.push(id) - 1;
      this.positionOfId.set(id, position);
    }
    byValue.set(value, position);
  }

  override bindVocabulary(vocabulary: Vocabulary): void {
    super.bindVocabulary(vocabulary);
    const pairs = this.pairs;
    this.reset();
    if (this.params.categories === null) for (const [name, value] of pairs) this.add(name, value);
  }

  learnVector(x: FeatureVector): void {
    if (this.params.categories !== null) return;
    const names = this.vocabulary.names;
    for (let i = 0; i < x.size; i++) {
      const category = x.categories[i];
      if (category !== undefined) this.add(names[x.ids[i]], category);
    }
  }

  transformVector(x: FeatureVector, out: FeatureVector): void {
    out.clear();
    const { ids, values, categories } = x;
    for (let i = 0; i < x.size; i++) if (categories[i] === undefined) out.push(ids[i], values[i]);
    const start = out.size;
    const { blockIds, positions } = this;
    const names = this.vocabulary.names;
    if (!this.params.dropZeros) for (const id of blockIds) out.push(id, 0);
    for (let i = 0; i < x.size; i++) {
      const category = categories[i];
      if (category === undefined) continue;
      const position = positions.get(names[ids[i]])?.get(category);
      if (position === undefined) continue;
      if (this.params.dropZeros) out.push(blockIds[position], 1);
      else out.values[start + position] = 1;
    }
    if (this.params.dropFirst) this.dropSmallest(out, start);
  }

  /** River's `oh.pop(min(oh))`, over the encoded block only. */
  private dropSmallest(out: FeatureVector, start: number): void {
    if (out.size === start) return;
    const names = this.vocabulary.names;
    let smallest = start;
    for (let i = start + 1; i < out.size; i++) {
      if (codePointLess(names[out.ids[i]], names[out.ids[smallest]])) smallest = i;
    }
    for (let i = smallest + 1; i < out.size; i++) {
      out.ids[i - 1] = out.ids[i];
      out.values[i - 1] = out.values[i];
    }
    out.size--;
  }

  toSpec(): JsonObject {
    const { categories, dropZeros, dropFirst } = this.params;
    const spec: JsonObject = { type: this.kind, categories: null, dropZeros, dropFirst };
    if (categories !== null) {
      const copy: JsonObject = {};
      for (const name of Object.keys(categories)) copy[name] = [...categories[name]];
      spec.categories = copy;
    }
    return spec;
  }

  /** The learnt (feature, category) pairs in first-learnt order; empty with fixed categories. */
  getState(): Json {
    return { values: this.params.categories === null ? this.pairs.map(([f, v]) => [f, v]) : [] };
  }

  setState(state: Json): void {
    const s = asObject(state, this.kind);
    const values = asArray(s.values, 'OneHotEncoder.values');
    this.reset();
    if (this.params.categories !== null) return;
    for (const pair of values) {
      const [name, value] = asArray(pair, 'OneHotEncoder.values[]');
      if (typeof name !== 'string' || typeof value !== 'string') {
        throw new TypeError('OneHotEncoder.values[]: expected [feature, category] strings');
      }
      this.add(name, value);
    }
  }

  clone(): OneHotEncoder {
    return new OneHotEncoder(this.params);
  }
}
