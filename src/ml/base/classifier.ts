import type { FeatureVector } from './feature-vector.js';
import { Step } from './step.js';
import type { ClassLabel, Features, Probabilities } from './types.js';

/** The most probable class, the first one on a tie (Python's `max(d, key=d.get)`), or null. */
export function argmax(probabilities: Probabilities): ClassLabel | null {
  let best: ClassLabel | null = null;
  let bestP = -Infinity;
  for (const [label, p] of probabilities) {
    if (p > bestP) {
      best = label;
      bestP = p;
    }
  }
  return best;
}

/**
 * A classifier (River's `base.Classifier`). `predictProbaOne` returns an empty map before the
 * model has seen any class, which progressive validation skips, as River does.
 */
export abstract class Classifier extends Step {
  /** Whether it handles more than two classes (River's `_multiclass`). */
  abstract readonly multiclass: boolean;

  abstract learnVector(x: FeatureVector, y: ClassLabel): void;
  /** Must not change any state. */
  abstract predictProbaVector(x: FeatureVector): Probabilities;

  predictVector(x: FeatureVector): ClassLabel | null {
    return argmax(this.predictProbaVector(x));
  }

  learnOne(x: Features, y: ClassLabel): void {
    this.learnVector(this.scratch.load(x, this.vocabulary, true), y);
  }

  predictProbaOne(x: Features): Probabilities {
    return this.predictProbaVector(this.scratch.load(x, this.vocabulary, false));
  }

  predictOne(x: Features): ClassLabel | null {
    return this.predictVector(this.scratch.load(x, this.vocabulary, false));
  }

  abstract override clone(): Classifier;
}
