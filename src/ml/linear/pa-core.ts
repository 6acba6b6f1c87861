import type { FeatureVector } from '../base/feature-vector.js';
import { asNumber, asObject } from '../base/snapshot.js';
import type { Json } from '../base/types.js';
import type { Vocabulary } from '../base/vocabulary.js';
import { numericCount, OrderedWeights } from './ordered-weights.js';

/** The three step sizes of Crammer et al.: 0 is PA, 1 is PA-I, 2 is PA-II. */
export type PAMode = 0 | 1 | 2;

export interface PACoreParams {
  C: number;
  mode: PAMode;
  learnIntercept: boolean;
}

export function checkPAParams(params: PACoreParams): void {
  if (!(params.C > 0)) throw new RangeError('C must be > 0');
  if (params.mode !== 0 && params.mode !== 1 && params.mode !== 2) throw new RangeError('mode must be 0, 1 or 2');
}

/**
 * What PAClassifier and PARegressor share (River's `BasePA`): the weights, the intercept, the dot
 * product and the step size `tau`. Port of river/linear_model/pa.py.
 */
export class PACore {
  weights = new OrderedWeights();
  intercept = 0;

  constructor(
    readonly params: Readonly<PACoreParams>,
    private readonly getVocabulary: () => Vocabulary,
  ) {}

  /** `dot(x, weights) + intercept`, summed in River's order. */
  rawDot(x: FeatureVector): number {
    return this.weights.dot(x, numericCount(x), 'sample-first') + this.intercept;
  }

  /**
   * The step size for a loss: PA `loss / ‖x‖²`, PA-I `min(C, loss / ‖x‖²)`, PA-II
   * `loss / (‖x‖² + 1 / (2C))`; PA and PA-I take 0 for an empty x. River squares numpy's
   * `linalg.norm`, i.e. the root of the sum of squares; the sum here runs left to right, as
   * OpenBLAS's `ddot` does below 16 features.
   */
  tau(x: FeatureVector, loss: number): number {
    let sumSquares = 0;
    for (let i = 0; i < x.size; i++) {
      const v = x.values[i];
      if (!Number.isNaN(v)) sumSquares += v * v;
    }
    const norm = Math.sqrt(sumSquares);
    const squared = norm * norm;
    const { C, mode } = this.params;
    if (mode === 2) return loss / (squared + 0.5 / C);
    if (!(squared > 0)) return 0;
    const ratio = loss / squared;
    if (mode === 0) return ratio;
    return ratio < C ? ratio : C;
  }

  /** `w_i += step * x_i` for the sample's features, then the intercept (River's order). */
  move(x: FeatureVector, step: number): void {
    const { ids, values } = x;
    for (let i = 0; i < x.size; i++) {
      const v = values[i];
      if (Number.isNaN(v)) continue;
      this.weights.set(ids[i], this.weights.get(ids[i]) + step * v);
    }
    if (this.params.learnIntercept) this.intercept += step;
  }

  getState(): Json {
    return { intercept: this.intercept, weights: this.weights.getState(this.getVocabulary().names) };
  }

  setState(state: Json, what: string): void {
    const s = asObject(state, what);
    this.intercept = asNumber(s.intercept, `${what}.intercept`);
    this.weights = OrderedWeights.fromState(s.weights, `${what}.weights`, this.getVocabulary());
  }
}
