import { Column } from '../base/column.js';
import type { FeatureVector } from '../base/feature-vector.js';
import { asArray, asNumber } from '../base/snapshot.js';
import type { Json } from '../base/types.js';
import type { Vocabulary } from '../base/vocabulary.js';

/** Which argument of River's `utils.math.dot(a, b)` the sample is: it decides the order on a tie. */
export type DotOrder = 'sample-first' | 'weights-first';

/**
 * A River `defaultdict(float)` of weights: values by feature id plus the order in which features
 * were first written. The order matters because River's `utils.math.dot(a, b)` sums over the
 * smaller dict (over `b` on a tie) in that dict's order, and floating-point sums depend on order.
 */
export class OrderedWeights {
  readonly values = new Column();
  private order = new Int32Array(16);
  private count = 0;
  /** The sample's values by id, filled only while a dot product walks the weights. */
  private sampleValues = new Float64Array(16);
  private sampleHas = new Uint8Array(16);

  get size(): number {
    return this.count;
  }

  get(id: number): number {
    return this.values.get(id);
  }

  /** Sets a weight, appending the feature to the order if it is new. */
  set(id: number, value: number): void {
    this.register(id);
    this.values.set(id, value);
  }

  /** Appends the features of a gradient that are new, in the gradient's order (before a step writes them). */
  registerAll(ids: Int32Array, size: number): void {
    for (let i = 0; i < size; i++) this.register(ids[i]);
  }

  private register(id: number): void {
    if (this.values.has(id)) return;
    if (this.count === this.order.length) {
      const order = new Int32Array(this.order.length * 2);
      order.set(this.order);
      this.order = order;
    }
    this.order[this.count++] = id;
    this.values.set(id, 0);
  }

  /**
   * River's `utils.math.dot` between the sample's numeric features (`numeric` of them) and these
   * weights, with the sample as the first or second argument.
   */
  dot(x: FeatureVector, numeric: number, argOrder: DotOrder): number {
    const walkWeights = argOrder === 'sample-first' ? !(numeric < this.count) : this.count < numeric;
    return walkWeights ? this.dotOverWeights(x) : this.dotOverSample(x);
  }

  private dotOverSample(x: FeatureVector): number {
    const { ids, values } = x;
    let sum = 0;
    for (let i = 0; i < x.size; i++) {
      const v = values[i];
      if (Number.isNaN(v) || !this.values.has(ids[i])) continue;
      sum += this.values.get(ids[i]) * v;
    }
    return sum;
  }

  private dotOverWeights(x: FeatureVector): number {
    const { ids, values } = x;
    let capacity = this.sampleHas.length;
    for (let i = 0; i < x.size; i++) while (ids[i] >= capacity) capacity *= 2;
    if (capacity > this.sampleHas.length) {
      this.sampleHas = new Uint8Array(capacity);
      this.sampleValues = new Float64Array(capacity);
    }
    for (let i = 0; i < x.size; i++) {
      if (Number.isNaN(values[i])) continue;
      this.sampleHas[ids[i]] = 1;
      this.sampleValues[ids[i]] = values[i];
    }
    let sum = 0;
    for (let k = 0; k < this.count; k++) {
      const id = this.order[k];
      if (this.sampleHas[id] === 1) sum += this.values.get(id) * this.sampleValues[id];
    }
    for (let i = 0; i < x.size; i++) this.sampleHas[ids[i]] = 0;
    return sum;
  }

  /** `[name, weight]` pairs in insertion order. */
  getState(names: readonly string[]): Json {
    const out: Json[] = [];
    for (let k = 0; k < this.count; k++) out.push([names[this.order[k]], this.values.get(this.order[k])]);
    return out;
  }

  static fromState(state: Json | undefined, what: string, vocabulary: Vocabulary): OrderedWeights {
    const weights = new OrderedWeights();
    for (const pair of asArray(state, what)) {
      const [name, value] = asArray(pair, what);
      if (typeof name !== 'string') throw new TypeError(`${what}: expected [name, weight] pairs`);
      weights.set(vocabulary.intern(name), asNumber(value, `${what}.${name}`));
    }
    return weights;
  }
}

/** How many entries of a sample are numbers (categorical entries are skipped by linear models). */
export function numericCount(x: FeatureVector): number {
  let n = 0;
  for (let i = 0; i < x.size; i++) if (!Number.isNaN(x.values[i])) n++;
  return n;
}
