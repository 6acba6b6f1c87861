import { Classifier } from '../base/classifier.js';
import type { FeatureVector } from '../base/feature-vector.js';
import type { Step } from '../base/step.js';
import type { ClassLabel, Json, JsonObject, Probabilities } from '../base/types.js';
import { Log, sigmoid } from '../optim/losses.js';
import { SGD } from '../optim/sgd.js';
import { GLM, type GLMOptions } from './glm.js';

export type LogisticRegressionOptions = GLMOptions;

/** Fills in River's GLM defaults. */
export function glmDefaults(options: GLMOptions) {
  return {
    optimizer: options.optimizer ?? new SGD({ lr: 0.01 }),
    l2: options.l2 ?? 0,
    l1: options.l1 ?? 0,
    interceptInit: options.interceptInit ?? 0,
    interceptLr: options.interceptLr ?? 0.01,
    clipGradient: options.clipGradient ?? 1e12,
  };
}

/**
 * Binary logistic regression learnt online: `p(true) = sigmoid(w · x + b)` with the log loss.
 * Port of river/linear_model/log_reg.py. Labels are booleans.
 *
 * @example
 * const model = new compose.Pipeline([
 *   new preprocessing.StandardScaler(),
 *   new linear.LogisticRegression({ optimizer: new optim.SGD({ lr: 0.1 }) }),
 * ]);
 * const metric = new metrics.Accuracy();
 * evaluate.progressiveValScore(datasets.phishing(), model, [metric]);
 * String(metric); // => Accuracy: 88.96% (River's docstring)
 * const x = { empty_server_form_handler: 0.5, popup_window: 1 };
 * model.predictProbaOne(x); // => Map(2) { false => 0.969, true => 0.031 } (ours)
 */
export class LogisticRegression extends Classifier {
  readonly kind: string = 'LogisticRegression';
  readonly multiclass = false;
  readonly glm: GLM;

  constructor(options: LogisticRegressionOptions = {}) {
    super();
    const loss = options.loss ?? new Log();
    if (loss.binary !== true) throw new TypeError(`${loss.kind} is not a binary loss`);
    this.glm = new GLM(glmDefaults(options), loss, () => this.vocabulary);
    // Used alone, the model's optimizer must still key its state by this model's feature names.
    this.bindVocabulary(this.vocabulary);
  }

  get params() {
    return this.glm.params;
  }

  learnVector(x: FeatureVector, y: ClassLabel): void {
    this.glm.learn(x, y === true);
  }

  predictProbaVector(x: FeatureVector): Probabilities {
    const p = sigmoid(this.glm.rawDot(x));
    return new Map<ClassLabel, number>([
      [false, 1 - p],
      [true, p],
    ]);
  }

  protected override children(): Step[] {
    return this.glm.children();
  }

  toSpec(): JsonObject {
    return { type: this.kind, ...this.glm.spec() };
  }

  getState(): Json {
    return this.glm.getState();
  }

  setState(state: Json): void {
    this.glm.setState(state, this.kind);
  }

  clone(): LogisticRegression {
    return new LogisticRegression({ ...this.glm.params, optimizer: this.glm.params.optimizer.clone(), loss: this.glm.loss });
  }
}
