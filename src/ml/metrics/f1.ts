import type { ClassLabel, JsonObject } from '../base/types.js';
import { FBeta } from './fbeta.js';

export interface F1Options {
  /** The label treated as positive. @default true */
  posVal?: ClassLabel;
}

/**
 * Binary F1 score, `FBeta` with beta 1: `2pr / (p + r)`. Port of river/metrics/fbeta.py (`F1`).
 *
 * @example
 * const metric = new metrics.F1();
 * const yTrue = [false, false, false, true, true, true];
 * const yPred = [false, false, true, true, false, false];
 * yTrue.forEach((y, i) => metric.update(y, yPred[i]));
 * String(metric); // => F1: 40.00% (River's docstring)
 */
export class F1 extends FBeta {
  override readonly kind: string = 'F1';

  constructor(options: F1Options = {}) {
    super({ beta: 1, posVal: options.posVal });
  }

  override toSpec(): JsonObject {
    return { type: this.kind, posVal: this.params.posVal };
  }

  override clone(): F1 {
    return new F1(this.params);
  }
}
