import type { FeatureValue, Features } from './types.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * A sample inside the core: feature ids and values in the input's order, in buffers that are
 * reused from sample to sample so that learning allocates nothing per sample.
 *
 * A numeric entry has `values[i]` set and `categories[i]` undefined; a categorical (string)
 * entry has `values[i] = NaN` and `categories[i]` set. Numeric estimators skip categorical
 * entries, as they skip missing features.
 */
export class FeatureVector {
  size = 0;
  ids: Int32Array;
  values: Float64Array;
  categories: Array<string | undefined>;

  constructor(capacity = 16) {
    this.ids = new Int32Array(capacity);
    this.values = new Float64Array(capacity);
    this.categories = new Array<string | undefined>(capacity).fill(undefined);
  }

  clear(): void {
    this.size = 0;
  }

  /** Appends a numeric entry. */
  push(id: number, value: number): void {
    if (this.size === this.ids.length) this.grow();
    this.ids[this.size] = id;
    this.values[this.size] = value;
    this.categories[this.size] = undefined;
    this.size++;
  }

  /** Appends a categorical entry. */
  pushCategory(id: number, category: string): void {
    if (this.size === this.ids.length) this.grow();
    this.ids[this.size] = id;
    this.values[this.size] = Number.NaN;
    this.categories[this.size] = category;
    this.size++;
  }

  /**
   * Loads a user's feature object. With `intern`, new names join the vocabulary (learning);
   * without it, unknown names are dropped (predicting must not grow any state, and a feature no
   * step has seen contributes nothing to any estimator here). Booleans count as 1/0 like
   * Python's; null, undefined and non-finite numbers count as missing.
   */
  load(x: Features, vocabulary: Vocabulary, intern: boolean): this {
    this.size = 0;
    for (const name in x) {
      const raw = x[name];
      let value: number;
      if (typeof raw === 'number') value = raw;
      else if (typeof raw === 'boolean') value = raw ? 1 : 0;
      else if (typeof raw === 'string') {
        const id = intern ? vocabulary.intern(name) : vocabulary.lookup(name);
        if (id >= 0) this.pushCategory(id, raw);
        continue;
      } else continue;
      if (!Number.isFinite(value)) continue;
      const id = intern ? vocabulary.intern(name) : vocabulary.lookup(name);
      if (id >= 0) this.push(id, value);
    }
    return this;
  }

  /** The features as a fresh plain object, for the public record API. */
  toRecord(vocabulary: Vocabulary): Record<string, FeatureValue> {
    const out: Record<string, FeatureValue> = {};
    for (let i = 0; i < this.size; i++) {
      const category = this.categories[i];
      Object.defineProperty(out, vocabulary.names[this.ids[i]], {
        value: category ?? this.values[i],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }

  private grow(): void {
    const capacity = this.ids.length * 2;
    const ids = new Int32Array(capacity);
    ids.set(this.ids);
    const values = new Float64Array(capacity);
    values.set(this.values);
    this.ids = ids;
    this.values = values;
    this.categories.length = capacity;
  }
}
