import { FeatureVector } from './feature-vector.js';
import { Step } from './step.js';
import type { FeatureValue, Features } from './types.js';

/**
 * An unsupervised transformer (River's `base.Transformer`): it learns from features alone and
 * maps features to features. Implementations work on `FeatureVector`s; the record methods wrap
 * them for direct use.
 */
export abstract class Transformer extends Step {
  readonly supervised = false as const;
  private readonly output = new FeatureVector();

  /** Updates the statistics with `x`. */
  abstract learnVector(x: FeatureVector): void;
  /** Writes the transform of `x` into `out` (cleared first). Must not change any state. */
  abstract transformVector(x: FeatureVector, out: FeatureVector): void;

  learnOne(x: Features): void {
    this.learnVector(this.scratch.load(x, this.vocabulary, true));
  }

  transformOne(x: Features): Record<string, FeatureValue> {
    this.transformVector(this.scratch.load(x, this.vocabulary, false), this.output);
    return this.output.toRecord(this.vocabulary);
  }

  abstract override clone(): Transformer;
}
