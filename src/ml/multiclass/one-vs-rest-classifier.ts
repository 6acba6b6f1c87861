import { Classifier } from '../base/classifier.js';
import type { FeatureVector } from '../base/feature-vector.js';
import { asArray, asObject } from '../base/snapshot.js';
import type { Step } from '../base/step.js';
import type { ClassLabel, Json, JsonObject, Probabilities } from '../base/types.js';

export interface OneVsRestClassifierOptions {
  /** The binary classifier cloned for each class (a multiclass one works too). */
  classifier: Classifier;
}

interface OneVsRest {
  label: ClassLabel;
  model: Classifier;
}

/**
 * One-vs-the-rest: one clone of a binary classifier per class, created when the class is first
 * seen; each learns "is it this class?" from every sample. `predictProbaOne` gives each class its
 * clone's p(true), normalised to sum to 1, or a uniform distribution when they are all 0; classes
 * are in first-seen order. Port of river/multiclass/ovr.py.
 *
 * @example
 * const ovr = new multiclass.OneVsRestClassifier({ classifier: new linear.LogisticRegression() });
 * const model = new compose.Pipeline([new preprocessing.StandardScaler(), ovr]);
 * const metric = new metrics.MacroF1();
 * evaluate.progressiveValScore(datasets.imageSegments(), model, [metric]);
 * String(metric); // => MacroF1: 77.46% (River's docstring; old releases printed 0.774573)
 */
export class OneVsRestClassifier extends Classifier {
  readonly kind = 'OneVsRestClassifier';
  readonly multiclass = true;
  readonly params: Readonly<OneVsRestClassifierOptions>;
  private classifiers: OneVsRest[] = [];

  constructor(options: OneVsRestClassifierOptions) {
    super();
    if (!(options?.classifier instanceof Classifier)) {
      throw new TypeError('OneVsRestClassifier needs a classifier');
    }
    this.params = { classifier: options.classifier };
    this.bindVocabulary(this.vocabulary);
  }

  /** The clone that answers for `label`, if the class has been seen. */
  classifierOf(label: ClassLabel): Classifier | undefined {
    return this.classifiers.find((c) => c.label === label)?.model;
  }

  learnVector(x: FeatureVector, y: ClassLabel): void {
    if (!this.classifiers.some((c) => c.label === y)) this.classifiers.push(this.newClass(y));
    for (const { label, model } of this.classifiers) model.learnVector(x, y === label);
  }

  predictProbaVector(x: FeatureVector): Probabilities {
    const out: Probabilities = new Map();
    let total = 0;
    for (const { label, model } of this.classifiers) {
      const p = model.predictProbaVector(x).get(true) ?? 0;
      out.set(label, p);
      total += p;
    }
    if (total !== 0) {
      for (const [label, p] of out) out.set(label, p / total);
    } else {
      for (const label of out.keys()) out.set(label, 1 / out.size);
    }
    return out;
  }

  private newClass(label: ClassLabel): OneVsRest {
    const model = this.params.classifier.clone();
    model.bindVocabulary(this.vocabulary);
    return { label, model };
  }

  protected override children(): Step[] {
    return [this.params.classifier, ...this.classifiers.map((c) => c.model)];
  }

  toSpec(): JsonObject {
    return { type: this.kind, classifier: this.params.classifier.toSpec() };
  }

  getState(): Json {
    return { classes: this.classifiers.map(({ label, model }) => ({ label, state: model.getState() })) };
  }

  setState(state: Json): void {
    const entries = asArray(asObject(state, this.kind).classes, `${this.kind}.classes`);
    this.classifiers = entries.map((entry, i) => {
      const e = asObject(entry, `${this.kind}.classes[${i}]`);
      const label = e.label;
      if (typeof label !== 'boolean' && typeof label !== 'number' && typeof label !== 'string') {
        throw new TypeError(`${this.kind}.classes[${i}].label: expected a class label`);
      }
      const c = this.newClass(label);
      c.model.setState(e.state ?? null);
      return c;
    });
  }

  clone(): OneVsRestClassifier {
    return new OneVsRestClassifier({ classifier: this.params.classifier.clone() });
  }
}
