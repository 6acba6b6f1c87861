import { Column } from '../base/column.js';
import type { FeatureVector } from '../base/feature-vector.js';
import { asNumberRecord, asObject } from '../base/snapshot.js';
import { Transformer } from '../base/transformer.js';
import type { Json, JsonObject } from '../base/types.js';

export interface StandardScalerOptions {
  /** Divide by the standard deviation, not only centre. @default true */
  withStd?: boolean;
}

/**
 * Scales each numeric feature to zero mean and unit variance with running statistics
 * (population variance, Welford). A feature whose variance is still 0 (its first sample
 * included) is scaled to 0. Port of river/preprocessing/scale.py `StandardScaler`.
 *
 * @example
 * // River's docstring data: Python's random.seed(42), then x and y from random.uniform(8, 12).
 * const rng = datasets.pythonRandom(42);
 * const X = Array.from({ length: 6 }, () => ({ x: rng.uniform(8, 12), y: rng.uniform(8, 12) }));
 * const scaler = new preprocessing.StandardScaler();
 * const learnThenTransform = (x: { x: number; y: number }) => {
 *   scaler.learnOne(x);
 *   return scaler.transformOne(x);
 * };
 * learnThenTransform(X[0]); // => { x: 0, y: 0 } (River's docstring)
 * learnThenTransform(X[1]); // => { x: -0.999, y: 0.999 }
 * learnThenTransform(X[2]); // => { x: 0.937, y: 1.350 }
 * learnThenTransform(X[3]); // => { x: 1.129, y: -0.651 }
 * learnThenTransform(X[4]); // => { x: -0.776, y: -0.729 }
 * learnThenTransform(X[5]); // => { x: -1.274, y: 0.992 }
 */
export class StandardScaler extends Transformer {
  readonly kind = 'StandardScaler';
  readonly params: Readonly<Required<StandardScalerOptions>>;
  private counts = new Column();
  private means = new Column();
  private vars = new Column();

  constructor(options: StandardScalerOptions = {}) {
    super();
    this.params = { withStd: options.withStd ?? true };
  }

  learnVector(x: FeatureVector): void {
    const { ids, values } = x;
    const withStd = this.params.withStd;
    for (let i = 0; i < x.size; i++) {
      const xi = values[i];
      if (Number.isNaN(xi)) continue;
      const id = ids[i];
      const n = this.counts.get(id) + 1;
      this.counts.set(id, n);
      const old = this.means.get(id);
      const mean = old + (xi - old) / n;
      this.means.set(id, mean);
      if (withStd) {
        const v = this.vars.get(id);
        this.vars.set(id, v + ((xi - old) * (xi - mean) - v) / n);
      }
    }
  }

  transformVector(x: FeatureVector, out: FeatureVector): void {
    out.clear();
    const { ids, values } = x;
    const means = this.means;
    for (let i = 0; i < x.size; i++) {
      const xi = values[i];
      const id = ids[i];
      if (Number.isNaN(xi)) {
        // Categories pass through untouched, for a OneHotEncoder further down the pipeline.
        out.pushCategory(id, x.categories[i] as string);
        continue;
      }
      const centred = xi - means.get(id);
      if (!this.params.withStd) {
        out.push(id, centred);
        continue;
      }
      // River's safe_div: 0.0 when the standard deviation is 0.
      const sd = Math.sqrt(this.vars.get(id));
      out.push(id, sd !== 0 ? centred / sd : 0);
    }
  }

  toSpec(): JsonObject {
    return { type: this.kind, withStd: this.params.withStd };
  }

  getState(): Json {
    const counts: JsonObject = {};
    const means: JsonObject = {};
    const vars: JsonObject = {};
    const names = this.vocabulary.names;
    for (const id of this.counts.ids()) {
      counts[names[id]] = this.counts.get(id);
      means[names[id]] = this.means.get(id);
      if (this.params.withStd) vars[names[id]] = this.vars.get(id);
    }
    return { counts, means, vars };
  }

  setState(state: Json): void {
    const s = asObject(state, 'StandardScaler');
    const counts = asNumberRecord(s.counts, 'StandardScaler.counts');
    const means = asNumberRecord(s.means, 'StandardScaler.means');
    const vars = asNumberRecord(s.vars, 'StandardScaler.vars');
    this.counts = new Column();
    this.means = new Column();
    this.vars = new Column();
    for (const name of Object.keys(counts)) {
      const id = this.vocabulary.intern(name);
      this.counts.set(id, counts[name]);
      this.means.set(id, means[name] ?? 0);
      if (this.params.withStd) this.vars.set(id, vars[name] ?? 0);
    }
  }

  clone(): StandardScaler {
    return new StandardScaler(this.params);
  }
}
