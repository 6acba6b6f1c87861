import { asNumber, asObject } from '../base/snapshot.js';
import type { Json } from '../base/types.js';
import { Mean } from './mean.js';

/**
 * Running variance by Welford's method, in River's form: `S += w * (x - mean_old) * (x - mean_new)`,
 * `get() = S / (n - ddof)` (0 while `n <= ddof`). See river/stats/var.py.
 *
 * @example
 * const variance = new stats.Var();
 * const variances: number[] = [];
 * for (const x of [3, 5, 4, 7, 10, 12]) {
 *   variance.update(x);
 *   variances.push(variance.get());
 * }
 * variances; // => [ 0, 2, 1, 2.916666, 7.7, 12.56666 ] (River's docstring)
 */
export class Var {
  readonly kind = 'Var';
  readonly mean = new Mean();
  S = 0;

  constructor(readonly ddof = 1) {}

  update(x: number, w = 1): void {
    const old = this.mean.mean;
    this.mean.update(x, w);
    this.S += w * (x - old) * (x - this.mean.mean);
  }

  revert(x: number, w = 1): void {
    const old = this.mean.mean;
    this.mean.revert(x, w);
    this.S -= w * (x - old) * (x - this.mean.mean);
  }

  get(): number {
    return this.mean.n > this.ddof ? this.S / (this.mean.n - this.ddof) : 0;
  }

  getState(): Json {
    return { S: this.S, mean: this.mean.getState() };
  }

  setState(state: Json): void {
    const s = asObject(state, 'Var');
    this.S = asNumber(s.S, 'Var.S');
    this.mean.setState(s.mean ?? null);
  }
}
