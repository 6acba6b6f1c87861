import type { JsonObject } from '../base/types.js';
import { MacroFBeta } from './macro-fbeta.js';

/**
 * Macro-averaged F1 over every class seen (`MacroFBeta` with beta 1). Port of
 * river/metrics/fbeta.py (`MacroF1`).
 *
 * @example
 * const metric = new metrics.MacroF1();
 * const yTrue = [0, 1, 2, 2, 2];
 * const yPred = [0, 0, 2, 2, 1];
 * yTrue.forEach((y, i) => metric.update(y, yPred[i]));
 * String(metric); // => MacroF1: 48.89% (River's docstring)
 */
export class MacroF1 extends MacroFBeta {
  override readonly kind: string = 'MacroF1';

  constructor() {
    super({ beta: 1 });
  }

  override toSpec(): JsonObject {
    return { type: this.kind };
  }

  override clone(): MacroF1 {
    return new MacroF1();
  }
}
