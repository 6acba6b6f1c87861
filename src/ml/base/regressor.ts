import type { FeatureVector } from './feature-vector.js';
import { Step } from './step.js';
import type { Features } from './types.js';

/** A regressor (River's `base.Regressor`). */
export abstract class Regressor extends Step {
  abstract learnVector(x: FeatureVector, y: number): void;
  /** Must not change any state. */
  abstract predictVector(x: FeatureVector): number;

  learnOne(x: Features, y: number): void {
    this.learnVector(this.scratch.load(x, this.vocabulary, true), y);
  }

  predictOne(x: Features): number {
    return this.predictVector(this.scratch.load(x, this.vocabulary, false));
  }

  abstract override clone(): Regressor;
}
