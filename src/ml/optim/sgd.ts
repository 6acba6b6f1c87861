import type { Column } from '../base/column.js';
import type { JsonObject } from '../base/types.js';
import { Optimizer } from './optimizer.js';

export interface SGDOptions {
  /** Learning rate. @default 0.01 */
  lr?: number;
}

/**
 * Plain stochastic gradient descent: `w_i -= lr * g_i`. Port of river/optim/sgd.py.
 *
 * @example
 * const model = new compose.Pipeline([
 *   new preprocessing.StandardScaler(),
 *   new linear.LogisticRegression({ optimizer: new optim.SGD({ lr: 0.1 }) }),
 * ]);
 * const metric = new metrics.F1();
 * evaluate.progressiveValScore(datasets.phishing(), model, [metric]);
 * String(metric); // => F1: 87.85% (River's docstring)
 */
export class SGD extends Optimizer {
  readonly kind = 'SGD';
  readonly params: Readonly<Required<SGDOptions>>;

  constructor(options: SGDOptions = {}) {
    super();
    this.params = { lr: options.lr ?? 0.01 };
  }

  get learningRate(): number {
    return this.params.lr;
  }

  protected applyStep(weights: Column, ids: Int32Array, grads: Float64Array, size: number): void {
    const lr = this.params.lr;
    for (let i = 0; i < size; i++) weights.set(ids[i], weights.get(ids[i]) - lr * grads[i]);
  }

  toSpec(): JsonObject {
    return { type: this.kind, lr: this.params.lr };
  }

  clone(): SGD {
    return new SGD(this.params);
  }
}
