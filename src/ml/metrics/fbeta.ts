import type { ClassLabel, JsonObject } from '../base/types.js';
import { BinaryMetric, precisionOf, recallOf } from './binary-metric.js';

export interface FBetaOptions {
  /** Weight of recall in the harmonic mean (River: "weight of precision"); 1 gives F1. No default, as in River. */
  beta: number;
  /** The label treated as positive. @default true */
  posVal?: ClassLabel;
}

/** River's F-beta of a precision and a recall, 0 when both are 0. */
export function fBetaScore(p: number, r: number, b2: number): number {
  const d = b2 * p + r;
  return d !== 0 ? ((1 + b2) * p * r) / d : 0;
}

/**
 * Binary F-beta score: the weighted harmonic mean of precision and recall. Port of
 * river/metrics/fbeta.py (`FBeta`).
 *
 * @example
 * const metric = new metrics.FBeta({ beta: 2 });
 * const yTrue = [false, false, false, true, true, true];
 * const yPred = [false, false, true, true, false, false];
 * yTrue.forEach((y, i) => metric.update(y, yPred[i]));
 * String(metric); // => FBeta: 35.71% (River's docstring)
 */
export class FBeta extends BinaryMetric {
  readonly kind: string = 'FBeta';
  readonly beta: number;

  constructor(options: FBetaOptions) {
    super(options);
    if (typeof options.beta !== 'number' || !Number.isFinite(options.beta) || options.beta < 0) {
      throw new RangeError('beta must be a number >= 0');
    }
    this.beta = options.beta;
  }

  get(): number {
    return fBetaScore(precisionOf(this.cm), recallOf(this.cm), this.beta * this.beta);
  }

  override toSpec(): JsonObject {
    return { type: this.kind, beta: this.beta, posVal: this.params.posVal };
  }

  clone(): FBeta {
    return new FBeta({ beta: this.beta, posVal: this.params.posVal });
  }
}
