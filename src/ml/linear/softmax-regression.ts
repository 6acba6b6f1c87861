import { Classifier } from '../base/classifier.js';
import type { FeatureVector } from '../base/feature-vector.js';
import { asArray, asObject } from '../base/snapshot.js';
import type { Step } from '../base/step.js';
import type { ClassLabel, Json, JsonObject, Probabilities } from '../base/types.js';
import { CrossEntropy } from '../optim/cross-entropy.js';
import type { Optimizer } from '../optim/optimizer.js';
import { SGD } from '../optim/sgd.js';
import { numericCount, OrderedWeights } from './ordered-weights.js';

export interface SoftmaxRegressionOptions {
  /** Template optimizer: each class gets its own fresh copy. @default new SGD({ lr: 0.01 }) */
  optimizer?: Optimizer;
  /** @default new CrossEntropy() */
  loss?: CrossEntropy;
  /** L2 penalty on the weights of the features present in a sample. @default 0 */
  l2?: number;
}

interface ClassModel {
  label: ClassLabel;
  weights: OrderedWeights;
  optimizer: Optimizer;
}

/**
 * Multinomial logistic regression: one weight vector per class, probabilities by the softmax of
 * the scores `w_c · x` (no intercept). Each sample moves every known class's weights along
 * `x * dLoss/dp_c`, each with its own copy of the optimizer. Classes are kept in first-seen order,
 * which is the order of `predictProbaOne` and decides ties. Port of
 * river/linear_model/softmax.py.
 *
 * @example
 * const model = new compose.Pipeline([new preprocessing.StandardScaler(), new linear.SoftmaxRegression()]);
 * const metric = new metrics.MacroF1();
 * evaluate.progressiveValScore(datasets.imageSegments(), model, [metric]);
 * String(metric); // => MacroF1: 81.88% (River's docstring)
 */
export class SoftmaxRegression extends Classifier {
  readonly kind = 'SoftmaxRegression';
  readonly multiclass = true;
  readonly params: Readonly<{ optimizer: Optimizer; loss: CrossEntropy; l2: number }>;
  private classes: ClassModel[] = [];
  private scores = new Float64Array(8);
  private ids = new Int32Array(16);
  private grads = new Float64Array(16);

  constructor(options: SoftmaxRegressionOptions = {}) {
    super();
    const loss = options.loss ?? new CrossEntropy();
    if ((loss as { multiclass?: unknown }).multiclass !== true) {
      throw new TypeError(`${(loss as { kind?: string }).kind ?? 'this loss'} is not a multiclass loss`);
    }
    const l2 = options.l2 ?? 0;
    if (!(l2 >= 0)) throw new RangeError('l2 must be >= 0');
    this.params = { optimizer: options.optimizer ?? new SGD({ lr: 0.01 }), loss, l2 };
    this.bindVocabulary(this.vocabulary);
  }

  /** Writes each class's probability into `this.scores` (River's `utils.math.softmax`). */
  private softmax(x: FeatureVector): void {
    const n = this.classes.length;
    if (this.scores.length < n) this.scores = new Float64Array(n * 2);
    const scores = this.scores;
    const numeric = numericCount(x);
    let maximum = -Infinity;
    for (let c = 0; c < n; c++) {
      scores[c] = this.classes[c].weights.dot(x, numeric, 'weights-first');
      if (c === 0 || scores[c] > maximum) maximum = scores[c];
    }
    let total = 0;
    for (let c = 0; c < n; c++) {
      scores[c] = Math.exp(scores[c] - maximum);
      total += scores[c];
    }
    for (let c = 0; c < n; c++) scores[c] /= total;
  }

  learnVector(x: FeatureVector, y: ClassLabel): void {
    for (const model of this.classes) model.optimizer.lookAhead(model.weights.values);
    this.softmax(x);
    const known = this.classes.length;
    if (!this.classes.some((m) => m.label === y)) this.classes.push(this.newClass(y));

    const { ids, values } = x;
    if (this.ids.length < x.size) {
      this.ids = new Int32Array(x.size * 2);
      this.grads = new Float64Array(x.size * 2);
    }
    const { loss, l2 } = this.params;
    for (let c = 0; c < this.classes.length; c++) {
      const model = this.classes[c];
      // A class first seen now had no probability: River reads it as 0 (clamped to 1e-15).
      const g = loss.gradientOf(y, c < known ? this.scores[c] : 0, model.label);
      let n = 0;
      for (let i = 0; i < x.size; i++) {
        const v = values[i];
        if (Number.isNaN(v)) continue;
        this.ids[n] = ids[i];
        this.grads[n] = v * g + l2 * model.weights.get(ids[i]);
        n++;
      }
      model.weights.registerAll(this.ids, n);
      model.optimizer.stepDict(model.weights.values, this.ids, this.grads, n);
    }
  }

  predictProbaVector(x: FeatureVector): Probabilities {
    const out: Probabilities = new Map();
    if (this.classes.length === 0) return out;
    this.softmax(x);
    for (let c = 0; c < this.classes.length; c++) out.set(this.classes[c].label, this.scores[c]);
    return out;
  }

  private newClass(label: ClassLabel): ClassModel {
    const optimizer = this.params.optimizer.clone();
    optimizer.bindVocabulary(this.vocabulary);
    return { label, weights: new OrderedWeights(), optimizer };
  }

  protected override children(): Step[] {
    return [this.params.optimizer, ...this.classes.map((m) => m.optimizer)];
  }

  toSpec(): JsonObject {
    const { optimizer, loss, l2 } = this.params;
    return { type: this.kind, optimizer: optimizer.toSpec(), loss: loss.toSpec(), l2 };
  }

  getState(): Json {
    const names = this.vocabulary.names;
    return {
      classes: this.classes.map((m) => ({
        label: m.label,
        optimizer: m.optimizer.getState(),
        weights: m.weights.getState(names),
      })),
    };
  }

  setState(state: Json): void {
    const entries = asArray(asObject(state, this.kind).classes, `${this.kind}.classes`);
    this.classes = entries.map((entry, i) => {
      const e = asObject(entry, `${this.kind}.classes[${i}]`);
      const label = e.label;
      if (typeof label !== 'boolean' && typeof label !== 'number' && typeof label !== 'string') {
        throw new TypeError(`${this.kind}.classes[${i}].label: expected a class label`);
      }
      const model = this.newClass(label);
      model.optimizer.setState(e.optimizer ?? null);
      model.weights = OrderedWeights.fromState(e.weights, `${this.kind}.classes[${i}].weights`, this.vocabulary);
      return model;
    });
  }

  clone(): SoftmaxRegression {
    const { optimizer, loss, l2 } = this.params;
    return new SoftmaxRegression({ optimizer: optimizer.clone(), loss, l2 });
  }
}
