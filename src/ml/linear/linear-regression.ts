import type { FeatureVector } from '../base/feature-vector.js';
import { Regressor } from '../base/regressor.js';
import type { Step } from '../base/step.js';
import type { Json, JsonObject } from '../base/types.js';
import { Squared } from '../optim/losses.js';
import { GLM, type GLMOptions } from './glm.js';
import { glmDefaults } from './logistic-regression.js';

export type LinearRegressionOptions = GLMOptions;

/**
 * Linear regression learnt online with the squared loss. Port of river/linear_model/lin_reg.py.
 *
 * @example
 * const lin = new linear.LinearRegression({ interceptLr: 0.1 });
 * const model = new compose.Pipeline([new preprocessing.StandardScaler(), lin]);
 * const metric = new metrics.MAE();
 * evaluate.progressiveValScore(datasets.trumpApproval(), model, [metric]);
 * String(metric); // => MAE: 0.558735 (River's docstring)
 * lin.intercept; // => 35.617670
 * model.predictOne(datasets.trumpApproval()[0][0]); // => 32.54607 (River's debug_one)
 */
export class LinearRegression extends Regressor {
  readonly kind = 'LinearRegression';
  readonly glm: GLM;

  constructor(options: LinearRegressionOptions = {}) {
    super();
    const loss = options.loss ?? new Squared();
    if (loss.binary !== false) throw new TypeError(`${loss.kind} is not a regression loss`);
    this.glm = new GLM(glmDefaults(options), loss, () => this.vocabulary);
    // Used alone, the model's optimizer must still key its state by this model's feature names.
    this.bindVocabulary(this.vocabulary);
  }

  get params() {
    return this.glm.params;
  }

  get intercept(): number {
    return this.glm.intercept;
  }

  learnVector(x: FeatureVector, y: number): void {
    this.glm.learn(x, y);
  }

  predictVector(x: FeatureVector): number {
    return this.glm.rawDot(x);
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

  clone(): LinearRegression {
    return new LinearRegression({ ...this.glm.params, optimizer: this.glm.params.optimizer.clone(), loss: this.glm.loss });
  }
}
