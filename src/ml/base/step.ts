import { FeatureVector } from './feature-vector.js';
import type { Snapshotable } from './snapshot.js';
import type { Json, JsonObject } from './types.js';
import { Vocabulary } from './vocabulary.js';

/**
 * What every pipeline step shares: a River class name, a spec, a state, and a vocabulary of
 * feature names. A step used alone owns its vocabulary; a pipeline hands all its steps one
 * shared vocabulary (`bindVocabulary`) so feature ids mean the same thing at every step.
 */
export abstract class Step implements Snapshotable {
  abstract readonly kind: string;
  /** Whether string (categorical) feature values mean something to this step. */
  readonly acceptsCategories: boolean = false;
  protected vocabulary = new Vocabulary();
  /** Scratch buffer for the record API; reused, so the record API is not re-entrant. */
  protected readonly scratch = new FeatureVector();

  /** Shares a vocabulary. Call it before learning or restoring, never after. */
  bindVocabulary(vocabulary: Vocabulary): void {
    this.vocabulary = vocabulary;
    for (const child of this.children()) child.bindVocabulary(vocabulary);
  }

  /** Nested steps that must share this step's vocabulary. */
  protected children(): Iterable<Step> {
    return [];
  }

  abstract toSpec(): JsonObject;
  abstract getState(): Json;
  abstract setState(state: Json): void;
  /** A fresh, untrained copy with the same parameters. */
  abstract clone(): Step;
}
