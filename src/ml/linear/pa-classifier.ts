import { Classifier } from '../base/classifier.js';
import type { FeatureVector } from '../base/feature-vector.js';
import type { ClassLabel, Json, JsonObject, Probabilities } from '../base/types.js';
import { sigmoid } from '../optim/losses.js';
import { checkPAParams, PACore, type PAMode } from './pa-core.js';

export interface PAClassifierOptions {
  /** Aggressiveness: the largest step (mode 1) or the slack penalty (mode 2). @default 1 */
  C?: number;
  /** 0: PA, 1: PA-I, 2: PA-II. @default 1 */
  mode?: PAMode;
  /** @default true */
  learnIntercept?: boolean;
}

/**
 * Passive-aggressive binary classifier: after each sample whose hinge loss
 * `max(0, 1 - y (w·x + b))` (y ∈ {-1, +1}) is positive, it moves the weights just enough, within
 * C, to classify it with margin: `w += tau * y * x`, `b += tau * y`. Probabilities are the sigmoid
 * of the score. Port of river/linear_model/pa.py `PAClassifier`. Labels are booleans.
 *
 * @see Crammer, Dekel, Keshet, Shalev-Shwartz and Singer (2006), Online passive-aggressive
 * algorithms, JMLR 7.
 * @example
 * // River's docstring data: scikit-learn's make_classification after np.random.seed(1000),
 * // 65% to train on and 35% to test on.
 * const { train, test } = datasets.makeClassification({ seed: 1000 });
 * const model = new linear.PAClassifier({ C: 0.01, mode: 1 });
 * for (const [x, y] of train) model.learnOne(x, y);
 * const accuracy = new metrics.Accuracy();
 * const logLoss = new metrics.LogLoss();
 * for (const [x, y] of test) {
 *   const p = model.predictProbaOne(x);
 *   accuracy.update(y, base.argmax(p)!);
 *   logLoss.update(y, p);
 * }
 * String(accuracy); // => Accuracy: 88.46% (River's docstring)
 * String(logLoss); // => LogLoss: 0.325727
 */
export class PAClassifier extends Classifier {
  readonly kind = 'PAClassifier';
  readonly multiclass = false;
  private core: PACore;

  constructor(options: PAClassifierOptions = {}) {
    super();
    const params = { C: options.C ?? 1, mode: options.mode ?? 1, learnIntercept: options.learnIntercept ?? true };
    checkPAParams(params);
    this.core = new PACore(params, () => this.vocabulary);
  }

  get params() {
    return this.core.params;
  }

  get intercept(): number {
    return this.core.intercept;
  }

  learnVector(x: FeatureVector, y: ClassLabel): void {
    const sign = y === true ? 1 : -1;
    const score = this.core.rawDot(x);
    const margin = 1 - sign * score;
    const loss = margin < 0 ? 0 : margin;
    this.core.move(x, this.core.tau(x, loss) * sign);
  }

  predictProbaVector(x: FeatureVector): Probabilities {
    const p = sigmoid(this.core.rawDot(x));
    return new Map<ClassLabel, number>([
      [false, 1 - p],
      [true, p],
    ]);
  }

  toSpec(): JsonObject {
    const { C, mode, learnIntercept } = this.core.params;
    return { type: this.kind, C, mode, learnIntercept };
  }

  getState(): Json {
    return this.core.getState();
  }

  setState(state: Json): void {
    this.core.setState(state, this.kind);
  }

  clone(): PAClassifier {
    return new PAClassifier(this.core.params);
  }
}
