import { Classifier } from '../base/classifier.js';
import { FeatureVector } from '../base/feature-vector.js';
import { Regressor } from '../base/regressor.js';
import { asArray, asObject } from '../base/snapshot.js';
import { Step } from '../base/step.js';
import { Transformer } from '../base/transformer.js';
import type { ClassLabel, Features, Json, JsonObject, Label, Probabilities, Task } from '../base/types.js';
import { Vocabulary } from '../base/vocabulary.js';

export type FinalEstimator = Classifier | Regressor;

/**
 * A chain of transformers ending in a classifier or regressor, with River ≥ 0.19 semantics:
 * `learnOne` updates each unsupervised step first and then transforms with the updated
 * statistics; `predictOne`/`predictProbaOne` only transform and never change any state.
 * Port of river/compose/pipeline.py.
 *
 * Every top-level model in eddy is a Pipeline (a single estimator is a one-step pipeline), so
 * consumers see one interface whatever the spec.
 *
 * @example
 * const model = new compose.Pipeline([new preprocessing.StandardScaler(), new linear.LinearRegression()]);
 * model.task; // => regression
 * model.learnOne({ x: 1 }, 2);
 * model.learnOne({ x: 3 }, 4);
 * model.predictOne({ x: 3 }); // => 0.1984 (ours)
 */
export class Pipeline extends Step {
  readonly kind = 'Pipeline';
  readonly transformers: readonly Transformer[];
  readonly final: FinalEstimator;
  readonly task: Task;
  /** Whether any step gives string (categorical) features a meaning; otherwise they would be ignored. */
  override readonly acceptsCategories: boolean;
  private readonly buffers: FeatureVector[];

  constructor(readonly steps: readonly Step[]) {
    super();
    if (steps.length === 0) throw new RangeError('a pipeline needs at least one step');
    const final = steps[steps.length - 1];
    if (!(final instanceof Classifier || final instanceof Regressor)) {
      throw new TypeError('a pipeline must end in a classifier or a regressor');
    }
    const transformers = steps.slice(0, -1);
    for (const t of transformers) {
      if (!(t instanceof Transformer)) throw new TypeError(`${t.kind} cannot be used before the last step`);
    }
    this.transformers = transformers as Transformer[];
    this.final = final;
    this.task = final instanceof Regressor ? 'regression' : final.multiclass ? 'multiclass' : 'binary';
    this.buffers = steps.map(() => new FeatureVector());
    this.acceptsCategories = steps.some((s) => s.acceptsCategories);
    this.bindVocabulary(new Vocabulary());
  }

  get isClassifier(): boolean {
    return this.final instanceof Classifier;
  }

  protected override children(): Step[] {
    return [...this.steps];
  }

  /** Learns one sample: each transformer learns then transforms; the last step learns. */
  learnOne(x: Features, y: Label): void {
    let v = this.scratch.load(x, this.vocabulary, true);
    for (let i = 0; i < this.transformers.length; i++) {
      const t = this.transformers[i];
      t.learnVector(v);
      const out = this.buffers[i];
      t.transformVector(v, out);
      v = out;
    }
    if (this.final instanceof Classifier) this.final.learnVector(v, y);
    else this.final.learnVector(v, y as number);
  }

  private transform(x: Features): FeatureVector {
    let v = this.scratch.load(x, this.vocabulary, false);
    for (let i = 0; i < this.transformers.length; i++) {
      const out = this.buffers[i];
      this.transformers[i].transformVector(v, out);
      v = out;
    }
    return v;
  }

  /** Class probabilities; an empty map for regressors and for classifiers that know no class yet. */
  predictProbaOne(x: Features): Probabilities {
    if (!(this.final instanceof Classifier)) return new Map<ClassLabel, number>();
    return this.final.predictProbaVector(this.transform(x));
  }

  /** The predicted class or value; null for a classifier that knows no class yet. */
  predictOne(x: Features): Label | null {
    return this.final.predictVector(this.transform(x));
  }

  toSpec(): JsonObject {
    return { type: this.kind, steps: this.steps.map((s) => s.toSpec()) };
  }

  getState(): Json {
    return { steps: this.steps.map((s) => s.getState()) };
  }

  setState(state: Json): void {
    const steps = asArray(asObject(state, 'Pipeline').steps, 'Pipeline.steps');
    if (steps.length !== this.steps.length) throw new TypeError('Pipeline: state has the wrong number of steps');
    this.steps.forEach((s, i) => s.setState(steps[i]));
  }

  clone(): Pipeline {
    return new Pipeline(this.steps.map((s) => s.clone()));
  }
}
