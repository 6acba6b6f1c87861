import type { ClassLabel, JsonObject } from '../base/types.js';

export interface CrossEntropyOptions {
  /** Weight of each class's gradient, as `[label, weight]` pairs; unlisted classes weigh 1. @default [] */
  classWeight?: ReadonlyArray<readonly [ClassLabel, number]>;
}

/** Probabilities are clamped to [1e-15, 1 - 1e-15] before use, as River's `clamp_proba`. */
export function clampProba(p: number): number {
  return Math.max(Math.min(p, 1 - 1e-15), 1e-15);
}

/**
 * Cross-entropy loss for multiclass classification (a generalisation of the log loss). Its
 * gradient with respect to class c's probability is `weight_c * (clamp(p_c) - [y = c])`, where a
 * class missing from the prediction counts as p = 0 (so clamps to 1e-15). Port of
 * river/optim/losses.py `CrossEntropy`.
 *
 * @example
 * const loss = new optim.CrossEntropy();
 * const yPred = new Map([[0, 0.29450637], [1, 0.34216758], [2, 0.36332605]]);
 * loss.loss(0, yPred); // => 1.222454 (River's docstring)
 * loss.gradientOf(0, yPred.get(0)!, 0); // => -0.70549363
 * loss.gradientOf(0, yPred.get(1)!, 1); // => 0.34216758
 */
export class CrossEntropy {
  readonly kind = 'CrossEntropy';
  /** Marks a multiclass loss; binary and regression GLMs refuse it. */
  readonly multiclass = true;
  readonly params: Readonly<{ classWeight: ReadonlyArray<readonly [ClassLabel, number]> }>;

  constructor(options: CrossEntropyOptions = {}) {
    this.params = { classWeight: (options.classWeight ?? []).map(([c, w]) => [c, w] as const) };
  }

  weightOf(label: ClassLabel): number {
    for (const [c, w] of this.params.classWeight) if (c === label) return w;
    return 1;
  }

  /** The gradient for class `label` given its predicted probability `p` and the true class. */
  gradientOf(yTrue: ClassLabel, p: number, label: ClassLabel): number {
    return this.weightOf(label) * (clampProba(p) - (yTrue === label ? 1 : 0));
  }

  /** The loss, `-weight_y * log(clamp(p_y))` (0 when the true class has no probability). */
  loss(yTrue: ClassLabel, probabilities: ReadonlyMap<ClassLabel, number>): number {
    const p = probabilities.get(yTrue);
    if (p === undefined) return 0;
    return -(this.weightOf(yTrue) * Math.log(clampProba(p)));
  }

  toSpec(): JsonObject {
    return { type: this.kind, classWeight: this.params.classWeight.map(([c, w]) => [c, w]) };
  }
}
