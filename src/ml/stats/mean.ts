import { asNumber, asObject } from '../base/snapshot.js';
import type { Json } from '../base/types.js';

/**
 * Running weighted mean, in River's update form `mean += (w / n) * (x - mean)` (which differs
 * in the last bit from `(x - mean) / n`). See river/stats/mean.py.
 *
 * @example
 * const mean = new stats.Mean();
 * const means: number[] = [];
 * for (const x of [-5, -3, -1, 1, 3, 5]) {
 *   mean.update(x);
 *   means.push(mean.get());
 * }
 * means; // => [ -5, -4, -3, -2, -1, 0 ] (River's docstring)
 */
export class Mean {
  readonly kind = 'Mean';
  n = 0;
  mean = 0;

  update(x: number, w = 1): void {
    this.n += w;
    this.mean += (w / this.n) * (x - this.mean);
  }

  revert(x: number, w = 1): void {
    this.n -= w;
    if (this.n < 0) throw new RangeError('Mean: cannot revert more weight than was added');
    if (this.n === 0) this.mean = 0;
    else this.mean -= (w / this.n) * (x - this.mean);
  }

  get(): number {
    return this.mean;
  }

  getState(): Json {
    return { mean: this.mean, n: this.n };
  }

  setState(state: Json): void {
    const s = asObject(state, 'Mean');
    this.n = asNumber(s.n, 'Mean.n');
    this.mean = asNumber(s.mean, 'Mean.mean');
  }
}
