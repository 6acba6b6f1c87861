import type { JsonObject } from '../base/types.js';
import { Hinge } from '../optim/losses.js';
import { SGD } from '../optim/sgd.js';
import { LogisticRegression } from './logistic-regression.js';

export interface PerceptronOptions {
  /** L2 penalty on the weights of the features present in a sample. @default 0 */
  l2?: number;
  /** Clamp on the absolute loss gradient. @default 1e12 */
  clipGradient?: number;
}

/**
 * The Perceptron, as River builds it: a LogisticRegression with the Hinge loss at threshold 0 and
 * SGD with learning rate 1 for both the weights and the intercept, so a sample moves the model only
 * when it is misclassified (or on the boundary). Probabilities are the sigmoid of the raw score.
 * Port of river/linear_model/perceptron.py.
 *
 * @example
 * const model = new compose.Pipeline([new preprocessing.StandardScaler(), new linear.Perceptron()]);
 * const metric = new metrics.Accuracy();
 * evaluate.progressiveValScore(datasets.phishing(), model, [metric]);
 * String(metric); // => Accuracy: 85.84% (River's docstring)
 */
export class Perceptron extends LogisticRegression {
  override readonly kind: string = 'Perceptron';

  constructor(options: PerceptronOptions = {}) {
    super({
      optimizer: new SGD({ lr: 1 }),
      interceptLr: 1,
      loss: new Hinge({ threshold: 0 }),
      l2: options.l2 ?? 0,
      clipGradient: options.clipGradient ?? 1e12,
    });
  }

  override toSpec(): JsonObject {
    const { l2, clipGradient } = this.params;
    return { type: this.kind, l2, clipGradient, initializer: { type: 'Zeros' } };
  }

  override clone(): Perceptron {
    const { l2, clipGradient } = this.params;
    return new Perceptron({ l2, clipGradient });
  }
}
