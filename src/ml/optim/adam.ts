import { Column } from '../base/column.js';
import type { JsonObject } from '../base/types.js';
import { columnState, PresenceMask, restoreColumn } from './feature-state.js';
import { Optimizer } from './optimizer.js';

export interface AdamOptions {
  /** Learning rate. @default 0.1 */
  lr?: number;
  /** Decay of the first moment (River's `beta_1`). @default 0.9 */
  beta1?: number;
  /** Decay of the second moment (River's `beta_2`). @default 0.999 */
  beta2?: number;
  /** Added to the root of the second moment. @default 1e-8 */
  eps?: number;
}

/**
 * Adam: per-feature first and second moments of the gradient, with the bias correction folded
 * into the step size, `lr_t = lr * (1 - beta2^t)^0.5 / (1 - beta1^t)` and
 * `w_i -= lr_t * m_i / (v_i^0.5 + eps)`. Port of river/optim/adam.py.
 *
 * Inside a GLM, River 0.22 takes Adam's vector form: the moments of every feature seen so far decay
 * at each step, and a feature absent from the sample has its weight *replaced* by
 * `-lr_t * m_i / (v_i^0.5 + eps)` (River's masked `VectorDict` subtraction writes `0 - step` for keys
 * outside the mask). That is River's behaviour, reproduced as is; on streams where every sample has
 * every feature it is the textbook update. SoftmaxRegression takes the dict form, which touches only
 * the sample's features.
 *
 * @see Kingma and Ba (2014), Adam: a method for stochastic optimization, arXiv:1412.6980.
 * @example
 * const model = new compose.Pipeline([
 *   new preprocessing.StandardScaler(),
 *   new linear.LogisticRegression({ optimizer: new optim.Adam() }),
 * ]);
 * const metric = new metrics.F1();
 * evaluate.progressiveValScore(datasets.phishing(), model, [metric]);
 * String(metric); // => F1: 86.52% (River's docstring)
 */
export class Adam extends Optimizer {
  readonly kind = 'Adam';
  readonly params: Readonly<Required<AdamOptions>>;
  private m = new Column();
  private v = new Column();
  private readonly present = new PresenceMask();

  constructor(options: AdamOptions = {}) {
    super();
    this.params = {
      lr: options.lr ?? 0.1,
      beta1: options.beta1 ?? 0.9,
      beta2: options.beta2 ?? 0.999,
      eps: options.eps ?? 1e-8,
    };
  }

  get learningRate(): number {
    return this.params.lr;
  }

  /** The bias-corrected step size for the coming iteration, in River's operation order. */
  private correctedLr(): number {
    const { lr, beta1, beta2 } = this.params;
    const t = this.nIterations + 1;
    return (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
  }

  protected applyStep(weights: Column, ids: Int32Array, grads: Float64Array, size: number): void {
    const { beta1, beta2, eps } = this.params;
    const lr = this.correctedLr();
    const { m, v } = this;
    for (let i = 0; i < size; i++) {
      const id = ids[i];
      const gi = grads[i];
      const mi = beta1 * m.get(id) + (1 - beta1) * gi;
      const vi = beta2 * v.get(id) + (1 - beta2) * (gi * gi);
      m.set(id, mi);
      v.set(id, vi);
      weights.set(id, weights.get(id) - (lr * mi) / (Math.sqrt(vi) + eps));
    }
  }

  protected override applyVectorStep(weights: Column, ids: Int32Array, grads: Float64Array, size: number): void {
    const { beta1, beta2, eps } = this.params;
    const lr = this.correctedLr();
    const { m, v, present } = this;
    present.mark(ids, size);
    // Features with moments that this sample lacks: decayed moments, overwritten weight.
    for (let id = 0; id < m.data.length; id++) {
      if (!m.has(id) || present.has(id)) continue;
      const mi = m.get(id) * beta1;
      const vi = v.get(id) * beta2;
      m.set(id, mi);
      v.set(id, vi);
      weights.set(id, 0 - (mi * lr) / (Math.sqrt(vi) + eps));
    }
    present.clear(ids, size);
    this.applyStep(weights, ids, grads, size);
  }

  protected override getOwnState(): JsonObject {
    const names = this.vocabulary.names;
    return { m: columnState(this.m, names), v: columnState(this.v, names) };
  }

  protected override setOwnState(state: JsonObject): void {
    this.m = restoreColumn(state.m, 'Adam.m', this.vocabulary);
    this.v = restoreColumn(state.v, 'Adam.v', this.vocabulary);
  }

  toSpec(): JsonObject {
    const { lr, beta1, beta2, eps } = this.params;
    return { type: this.kind, lr, beta1, beta2, eps };
  }

  clone(): Adam {
    return new Adam(this.params);
  }
}
