import { Column } from '../base/column.js';
import type { JsonObject } from '../base/types.js';
import { columnState, PresenceMask, restoreColumn } from './feature-state.js';
import { Optimizer } from './optimizer.js';

export interface RMSPropOptions {
  /** Learning rate. @default 0.1 */
  lr?: number;
  /** Decay of the running mean of squared gradients. @default 0.9 */
  rho?: number;
  /** Added to the running mean before the square root. @default 1e-8 */
  eps?: number;
}

/**
 * RMSProp: each feature's step is divided by the root of a running mean of its squared gradients,
 * `g2_i = rho * g2_i + (1 - rho) * g_i²; w_i -= lr / (g2_i + eps)^0.5 * g_i`. Port of
 * river/optim/rms_prop.py.
 *
 * Inside a GLM, River 0.22 takes RMSProp's vector form: the running means of every feature seen so
 * far decay at each step, and a feature absent from the sample has its weight reset to 0 (River's
 * masked `VectorDict` subtraction writes `0 - step` for keys outside the mask, and their step is 0).
 * That is River's behaviour, reproduced as is. SoftmaxRegression takes the dict form, which touches
 * only the sample's features.
 *
 * @see Hinton, Srivastava and Swersky, Neural networks for machine learning, lecture 6.
 * @example
 * const model = new compose.Pipeline([
 *   new preprocessing.StandardScaler(),
 *   new linear.LogisticRegression({ optimizer: new optim.RMSProp() }),
 * ]);
 * const metric = new metrics.F1();
 * evaluate.progressiveValScore(datasets.phishing(), model, [metric]);
 * String(metric); // => F1: 87.24% (River's docstring)
 */
export class RMSProp extends Optimizer {
  readonly kind = 'RMSProp';
  readonly params: Readonly<Required<RMSPropOptions>>;
  private g2 = new Column();
  private readonly present = new PresenceMask();

  constructor(options: RMSPropOptions = {}) {
    super();
    this.params = { lr: options.lr ?? 0.1, rho: options.rho ?? 0.9, eps: options.eps ?? 1e-8 };
  }

  get learningRate(): number {
    return this.params.lr;
  }

  protected applyStep(weights: Column, ids: Int32Array, grads: Float64Array, size: number): void {
    const { lr, rho, eps } = this.params;
    const g2 = this.g2;
    for (let i = 0; i < size; i++) {
      const id = ids[i];
      const gi = grads[i];
      const acc = rho * g2.get(id) + (1 - rho) * (gi * gi);
      g2.set(id, acc);
      weights.set(id, weights.get(id) - (lr / Math.sqrt(acc + eps)) * gi);
    }
  }

  protected override applyVectorStep(weights: Column, ids: Int32Array, grads: Float64Array, size: number): void {
    const { lr, rho, eps } = this.params;
    const { g2, present } = this;
    present.mark(ids, size);
    for (let id = 0; id < g2.data.length; id++) {
      if (!g2.has(id) || present.has(id)) continue;
      const acc = g2.get(id) * rho;
      g2.set(id, acc);
      // River's `0 - (lr / (g2 + eps) ** 0.5) * 0`: 0 unless the scale is not finite.
      weights.set(id, 0 - (lr / Math.sqrt(acc + eps)) * 0);
    }
    present.clear(ids, size);
    this.applyStep(weights, ids, grads, size);
  }

  protected override getOwnState(): JsonObject {
    return { g2: columnState(this.g2, this.vocabulary.names) };
  }

  protected override setOwnState(state: JsonObject): void {
    this.g2 = restoreColumn(state.g2, 'RMSProp.g2', this.vocabulary);
  }

  toSpec(): JsonObject {
    const { lr, rho, eps } = this.params;
    return { type: this.kind, lr, rho, eps };
  }

  clone(): RMSProp {
    return new RMSProp(this.params);
  }
}
