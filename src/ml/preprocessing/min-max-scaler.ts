import { Column } from '../base/column.js';
import type { FeatureVector } from '../base/feature-vector.js';
import { asNumberRecord, asObject } from '../base/snapshot.js';
import { Transformer } from '../base/transformer.js';
import type { Json, JsonObject } from '../base/types.js';

/** MinMaxScaler has no parameters in River 0.22. */
export type MinMaxScalerOptions = Record<string, never>;

/**
 * Scales each numeric feature to [0, 1] with its running minimum and maximum:
 * `(x - min) / (max - min)`, and 0 while `max == min` (the first sample included), as River's
 * `safe_div` does. Values outside the range seen so far map outside [0, 1]. Port of
 * river/preprocessing/scale.py `MinMaxScaler` (with river/stats/minimum.py and maximum.py).
 *
 * In a pipeline it learns before it transforms, like StandardScaler. Only features it has learnt
 * have a min and a max (so its state holds no infinities); a numeric feature it has never learnt
 * is scaled to 0 (River would return NaN from its infinite defaults). Categorical (string)
 * entries pass through unchanged, so a later OneHotEncoder still sees them.
 *
 * @example
 * // River's docstring data: Python's random.seed(42), then five random.uniform(8, 12).
 * const rng = datasets.pythonRandom(42);
 * const scaler = new preprocessing.MinMaxScaler();
 * const scaled = Array.from({ length: 5 }, () => {
 *   const x = { x: rng.uniform(8, 12) };
 *   scaler.learnOne(x);
 *   return scaler.transformOne(x).x;
 * });
 * scaled; // => [ 0, 0, 0.406920, 0.322582, 1 ] (River's docstring)
 */
export class MinMaxScaler extends Transformer {
  readonly kind = 'MinMaxScaler';
  readonly params: Readonly<MinMaxScalerOptions> = {};
  private min = new Column();
  private max = new Column();

  constructor(_options: MinMaxScalerOptions = {}) {
    super();
  }

  learnVector(x: FeatureVector): void {
    const { ids, values } = x;
    const { min, max } = this;
    for (let i = 0; i < x.size; i++) {
      const xi = values[i];
      if (Number.isNaN(xi)) continue;
      const id = ids[i];
      if (!min.has(id)) {
        min.set(id, xi);
        max.set(id, xi);
        continue;
      }
      // stats.Min / stats.Max: strict comparisons, so the first of equal values is kept.
      if (xi < min.get(id)) min.set(id, xi);
      if (xi > max.get(id)) max.set(id, xi);
    }
  }

  transformVector(x: FeatureVector, out: FeatureVector): void {
    out.clear();
    const { ids, values, categories } = x;
    const { min, max } = this;
    for (let i = 0; i < x.size; i++) {
      const id = ids[i];
      const category = categories[i];
      if (category !== undefined) {
        out.pushCategory(id, category);
        continue;
      }
      if (!min.has(id)) {
        out.push(id, 0);
        continue;
      }
      const lo = min.get(id);
      const range = max.get(id) - lo;
      out.push(id, range !== 0 ? (values[i] - lo) / range : 0);
    }
  }

  toSpec(): JsonObject {
    return { type: this.kind };
  }

  getState(): Json {
    const names = this.vocabulary.names;
    const min: JsonObject = {};
    const max: JsonObject = {};
    for (const id of this.min.ids()) {
      min[names[id]] = this.min.get(id);
      max[names[id]] = this.max.get(id);
    }
    return { max, min };
  }

  setState(state: Json): void {
    const s = asObject(state, this.kind);
    const min = asNumberRecord(s.min, 'MinMaxScaler.min');
    const max = asNumberRecord(s.max, 'MinMaxScaler.max');
    this.min = new Column();
    this.max = new Column();
    for (const name of Object.keys(min)) {
      if (max[name] === undefined) throw new TypeError(`MinMaxScaler.max: missing ${name}`);
      const id = this.vocabulary.intern(name);
      this.min.set(id, min[name]);
      this.max.set(id, max[name]);
    }
  }

  clone(): MinMaxScaler {
    return new MinMaxScaler();
  }
}
