import type { FeatureVector } from '../base/feature-vector.js';
import { Regressor } from '../base/regressor.js';
import type { Json, JsonObject } from '../base/types.js';
import { checkPAParams, PACore, type PAMode } from './pa-core.js';

export interface PARegressorOptions {
  /** Aggressiveness: the largest step (mode 1) or the slack penalty (mode 2). @default 1 */
  C?: number;
  /** 0: PA, 1: PA-I, 2: PA-II. @default 1 */
  mode?: PAMode;
  /** Width of the insensitive band. @default 0.1 */
  eps?: number;
  /** @default true */
  learnIntercept?: boolean;
}

/** NumPy's `sign`: 0 for ±0, NaN for NaN. */
function npSign(v: number): number {
  if (v > 0) return 1;
  if (v < 0) return -1;
  return v === 0 ? 0 : Number.NaN;
}

/**
 * Passive-aggressive regressor: after each sample it moves the weights towards the target by
 * `tau * sign(y - ŷ)`, with tau from the epsilon-insensitive loss. Port of
 * river/linear_model/pa.py `PARegressor`.
 *
 * River computes that loss with `optim.losses.EpsilonInsensitiveHinge`, which first maps the target
 * as a binary label, `y → 2y - 1`: the loss is `max(|ŷ - (2y - 1)| - eps, 0)` while the direction
 * uses the true y. That is River's behaviour and is reproduced as is.
 *
 * @example
 * // River's docstring data: scikit-learn's make_regression(500, 4) after np.random.seed(1000).
 * const model = new linear.PARegressor({ C: 0.01, mode: 2, eps: 0.1, learnIntercept: false });
 * const mae = new metrics.MAE();
 * const mse = new metrics.MSE();
 * for (const [x, y] of datasets.makeRegression({ seed: 1000, nSamples: 500, nFeatures: 4 })) {
 *   const yPred = model.predictOne(x);
 *   model.learnOne(x, y);
 *   mae.update(y, yPred);
 *   mse.update(y, yPred);
 * }
 * String(mae); // => MAE: 9.809402 (River's docstring)
 * String(mse); // => MSE: 472.393532
 */
export class PARegressor extends Regressor {
  readonly kind = 'PARegressor';
  private core: PACore;
  private readonly eps: number;

  constructor(options: PARegressorOptions = {}) {
    super();
    const params = { C: options.C ?? 1, mode: options.mode ?? 1, learnIntercept: options.learnIntercept ?? true };
    checkPAParams(params);
    this.eps = options.eps ?? 0.1;
    if (!(this.eps >= 0)) throw new RangeError('eps must be >= 0');
    this.core = new PACore(params, () => this.vocabulary);
  }

  get params() {
    return { ...this.core.params, eps: this.eps };
  }

  get intercept(): number {
    return this.core.intercept;
  }

  learnVector(x: FeatureVector, y: number): void {
    const yPred = this.core.rawDot(x);
    const excess = Math.abs(yPred - (y * 2 - 1)) - this.eps;
    const loss = excess < 0 ? 0 : excess;
    this.core.move(x, this.core.tau(x, loss) * npSign(y - yPred));
  }

  predictVector(x: FeatureVector): number {
    return this.core.rawDot(x);
  }

  toSpec(): JsonObject {
    const { C, mode, learnIntercept } = this.core.params;
    return { type: this.kind, C, mode, eps: this.eps, learnIntercept };
  }

  getState(): Json {
    return this.core.getState();
  }

  setState(state: Json): void {
    this.core.setState(state, this.kind);
  }

  clone(): PARegressor {
    return new PARegressor(this.params);
  }
}
