import type { ClassLabel } from '../base/types.js';

/**
 * A loss function (River's `optim.losses`): the gradient of the loss with respect to the raw
 * prediction, which is what a GLM needs. Losses have no state.
 */
export interface Loss {
  readonly kind: string;
  /** Binary losses read labels as ±1 (for classifiers); the others read numbers (for regressors). */
  readonly binary: boolean;
  /** d loss / d yPred. For binary losses `yTrue` is a boolean (false ↦ -1, true ↦ +1). */
  gradient(yTrue: number | ClassLabel, yPred: number): number;
  /** The link from raw score to prediction (identity, sigmoid, …). */
  meanFunc(yPred: number): number;
  toSpec(): { type: string; [key: string]: number | string };
}

/** River's `utils.math.sigmoid`, with its ±30 cut-offs. */
export function sigmoid(z: number): number {
  if (z < -30) return 0;
  if (z > 30) return 1;
  return 1 / (1 + Math.exp(-z));
}

function sign(y: number | ClassLabel): number {
  return y === true || y === 1 ? 1 : -1;
}

/**
 * Logarithmic loss for binary classification. Port of river/optim/losses.py `Log`, with its
 * overflow guards at |z| > 18.
 *
 * @example
 * const loss = new optim.Log();
 * loss.gradient(true, 0); // => -0.5 (ours; River has no example)
 * loss.gradient(false, 2); // => 0.8807970779778823
 */
export class Log implements Loss {
  readonly kind = 'Log';
  readonly binary = true;

  gradient(yTrue: number | ClassLabel, yPred: number): number {
    const yy = sign(yTrue);
    const zz = yPred * yy;
    if (zz > 18) return Math.exp(-zz) * -yy;
    if (zz < -18) return -yy;
    return -yy / (Math.exp(zz) + 1);
  }

  meanFunc(yPred: number): number {
    return sigmoid(yPred);
  }

  toSpec() {
    return { type: this.kind };
  }
}

/**
 * Squared loss for regression: gradient `2 * (yPred - yTrue)`. Port of river/optim/losses.py
 * `Squared`.
 *
 * @example
 * const loss = new optim.Squared();
 * loss.gradient(-4, 5); // => 18 (River's docstring)
 * loss.gradient(5, -4); // => -18
 */
export class Squared implements Loss {
  readonly kind = 'Squared';
  readonly binary = false;

  gradient(yTrue: number | ClassLabel, yPred: number): number {
    return 2 * (yPred - (yTrue as number));
  }

  meanFunc(yPred: number): number {
    return yPred;
  }

  toSpec() {
    return { type: this.kind };
  }
}

export interface HingeOptions {
  /** Margin: 1 gives the SVM's hinge loss, 0 the Perceptron's. @default 1 */
  threshold?: number;
}

/**
 * Hinge loss for binary classification, `max(0, threshold - y * yPred)` with y ∈ {-1, +1}; its
 * gradient is `-y` when `y * yPred <= threshold` (River's scalar branch compares with `<=`) and 0
 * otherwise. Port of river/optim/losses.py `Hinge`.
 *
 * @example
 * const loss = new optim.Hinge({ threshold: 1 });
 * loss.loss(true, 0.2); // => 0.8 (River's docstring)
 * loss.gradient(true, 0.2); // => -1
 */
export class Hinge implements Loss {
  readonly kind = 'Hinge';
  readonly binary = true;
  readonly params: Readonly<Required<HingeOptions>>;

  constructor(options: HingeOptions = {}) {
    this.params = { threshold: options.threshold ?? 1 };
  }

  /** The loss itself, `max(threshold - y * yPred, 0)`. */
  loss(yTrue: number | ClassLabel, yPred: number): number {
    const value = this.params.threshold - sign(yTrue) * yPred;
    return value < 0 ? 0 : value;
  }

  gradient(yTrue: number | ClassLabel, yPred: number): number {
    const yy = sign(yTrue);
    return yy * yPred <= this.params.threshold ? -yy : 0;
  }

  meanFunc(yPred: number): number {
    return sigmoid(yPred);
  }

  toSpec() {
    return { type: this.kind, threshold: this.params.threshold };
  }
}
