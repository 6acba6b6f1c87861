import { Column } from '../base/column.js';
import type { JsonObject } from '../base/types.js';
import { columnState, restoreColumn } from './feature-state.js';
import { Optimizer } from './optimizer.js';

export interface AdaGradOptions {
  /** Learning rate. @default 0.1 */
  lr?: number;
  /** Added to the accumulated squared gradient before the square root. @default 1e-8 */
  eps?: number;
}

/**
 * AdaGrad: each feature's step is scaled by the root of its accumulated squared gradients,
 * `g2_i += g_i²; w_i -= lr / (g2_i + eps)^0.5 * g_i`, only for the features in the gradient (River's
 * AdaGrad has no vector form, so GLMs get this dict form too). Port of river/optim/ada_grad.py.
 *
 * @see Duchi, Hazan and Singer (2011), Adaptive subgradient methods for online learning and
 * stochastic optimization, JMLR 12.
 * @example
 * const model = new compose.Pipeline([
 *   new preprocessing.StandardScaler(),
 *   new linear.LogisticRegression({ optimizer: new optim.AdaGrad() }),
 * ]);
 * const metric = new metrics.F1();
 * evaluate.progressiveValScore(datasets.phishing(), model, [metric]);
 * String(metric); // => F1: 88.01% (River's docstring)
 */
export class AdaGrad extends Optimizer {
  readonly kind = 'AdaGrad';
  readonly params: Readonly<Required<AdaGradOptions>>;
  private g2 = new Column();

  constructor(options: AdaGradOptions = {}) {
    super();
    this.params = { lr: options.lr ?? 0.1, eps: options.eps ?? 1e-8 };
  }

  get learningRate(): number {
    return this.params.lr;
  }

  protected applyStep(weights: Column, ids: Int32Array, grads: Float64Array, size: number): void {
    const { lr, eps } = this.params;
    const g2 = this.g2;
    for (let i = 0; i < size; i++) {
      const id = ids[i];
      const gi = grads[i];
      const acc = g2.get(id) + gi * gi;
      g2.set(id, acc);
      weights.set(id, weights.get(id) - (lr / Math.sqrt(acc + eps)) * gi);
    }
  }

  protected override getOwnState(): JsonObject {
    return { g2: columnState(this.g2, this.vocabulary.names) };
  }

  protected override setOwnState(state: JsonObject): void {
    this.g2 = restoreColumn(state.g2, 'AdaGrad.g2', this.vocabulary);
  }

  toSpec(): JsonObject {
    return { type: this.kind, lr: this.params.lr, eps: this.params.eps };
  }

  clone(): AdaGrad {
    return new AdaGrad(this.params);
  }
}
