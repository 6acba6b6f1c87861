import { Column } from '../base/column.js';
import type { FeatureVector } from '../base/feature-vector.js';
import { asNumber, asNumberRecord, asObject } from '../base/snapshot.js';
import type { Step } from '../base/step.js';
import type { ClassLabel, Json, JsonObject } from '../base/types.js';
import type { Vocabulary } from '../base/vocabulary.js';
import type { Loss } from '../optim/losses.js';
import type { Optimizer } from '../optim/optimizer.js';

/** Options every generalised linear model takes, with River's names and defaults. */
export interface GLMOptions {
  /** Updates the weights; the intercept has its own learning rate. @default new SGD({ lr: 0.01 }) */
  optimizer?: Optimizer;
  /** L2 penalty on the weights of the features present in a sample. @default 0 */
  l2?: number;
  /** L1 penalty by cumulative clipping (not together with l2). @default 0 */
  l1?: number;
  /** @default 0 */
  interceptInit?: number;
  /** The intercept's learning rate; 0 freezes it. @default 0.01 */
  interceptLr?: number;
  /** Clamp on the absolute loss gradient. @default 1e12 */
  clipGradient?: number;
  /** The loss minimised. @default Log for classifiers, Squared for regressors */
  loss?: Loss;
}

export type GLMParams = Required<Omit<GLMOptions, 'loss'>>;

/**
 * The shared core of LinearRegression and LogisticRegression: a dot product plus intercept,
 * learnt by one optimizer step per sample. Port of river/linear_model/base.py `GLM`; the order of
 * operations (intercept first, then the optimizer step, then L1) is River's, because it shows in
 * the last bits of the weights.
 */
export class GLM {
  weights = new Column();
  intercept: number;
  private maxCumL1 = 0;
  private cumL1 = new Column();
  private grads = new Float64Array(16);

  constructor(
    readonly params: Readonly<GLMParams>,
    readonly loss: Loss,
    private readonly getVocabulary: () => Vocabulary,
  ) {
    if (params.l1 !== 0 && params.l2 !== 0) throw new RangeError('l1 and l2 cannot both be set');
    this.intercept = params.interceptInit;
  }

  /** `w · x + b`, summed in x's order, intercept last (River's `_raw_dot_one`). */
  rawDot(x: FeatureVector): number {
    const { ids, values } = x;
    const weights = this.weights;
    let sum = 0;
    for (let i = 0; i < x.size; i++) {
      const v = values[i];
      if (!Number.isNaN(v)) sum += weights.get(ids[i]) * v;
    }
    return sum + this.intercept;
  }

  learn(x: FeatureVector, y: number | ClassLabel, sampleWeight = 1): void {
    const { optimizer, l2, l1, interceptLr, clipGradient } = this.params;
    optimizer.lookAhead(this.weights);
    let g = this.loss.gradient(y, this.rawDot(x)) * sampleWeight;
    g = Math.max(Math.min(g, clipGradient), -clipGradient);

    if (this.grads.length < x.size) this.grads = new Float64Array(x.size * 2);
    const { ids, values } = x;
    const grads = this.grads;
    let n = 0;
    // Categorical entries are not numbers: compact the numeric ones into the gradient buffer.
    const gradIds = this.gradIds(x.size);
    for (let i = 0; i < x.size; i++) {
      const v = values[i];
      if (Number.isNaN(v)) continue;
      const id = ids[i];
      // Learn mode: a feature seen for the first time gets its initial (zero) weight stored.
      if (!this.weights.has(id)) this.weights.set(id, 0);
      grads[n] = l2 !== 0 ? v * g + l2 * this.weights.get(id) : v * g;
      gradIds[n] = id;
      n++;
    }

    this.intercept -= interceptLr * g;
    optimizer.step(this.weights, gradIds, grads, n);

    if (l1 !== 0) {
      this.maxCumL1 = this.maxCumL1 + l1 * optimizer.learningRate;
      this.applyL1(gradIds, n);
    }
  }

  private idBuffer = new Int32Array(16);

  private gradIds(size: number): Int32Array {
    if (this.idBuffer.length < size) this.idBuffer = new Int32Array(size * 2);
    return this.idBuffer;
  }

  private applyL1(ids: Int32Array, size: number): void {
    for (let i = 0; i < size; i++) {
      const id = ids[i];
      const before = this.weights.get(id);
      let after = before;
      if (before > 0) after = Math.max(0, before - (this.maxCumL1 + this.cumL1.get(id)));
      else if (before < 0) after = Math.min(0, before + (this.maxCumL1 - this.cumL1.get(id)));
      this.weights.set(id, after);
      this.cumL1.set(id, this.cumL1.get(id) + (after - before));
    }
  }

  children(): Step[] {
    return [this.params.optimizer];
  }

  spec(): JsonObject {
    const p = this.params;
    return {
      optimizer: p.optimizer.toSpec(),
      loss: this.loss.toSpec(),
      l2: p.l2,
      l1: p.l1,
      interceptInit: p.interceptInit,
      interceptLr: p.interceptLr,
      clipGradient: p.clipGradient,
      initializer: { type: 'Zeros' },
    };
  }

  getState(): JsonObject {
    const names = this.getVocabulary().names;
    const weights: JsonObject = {};
    for (const id of this.weights.ids()) weights[names[id]] = this.weights.get(id);
    const state: JsonObject = {
      intercept: this.intercept,
      optimizer: this.params.optimizer.getState(),
      weights,
    };
    if (this.params.l1 !== 0) {
      const cumL1: JsonObject = {};
      for (const id of this.cumL1.ids()) cumL1[names[id]] = this.cumL1.get(id);
      state.l1 = { cumL1, maxCumL1: this.maxCumL1 };
    }
    return state;
  }

  setState(state: Json, what: string): void {
    const s = asObject(state, what);
    const vocabulary = this.getVocabulary();
    this.intercept = asNumber(s.intercept, `${what}.intercept`);
    this.params.optimizer.setState(s.optimizer ?? null);
    this.weights = new Column();
    const weights = asNumberRecord(s.weights, `${what}.weights`);
    for (const name of Object.keys(weights)) this.weights.set(vocabulary.intern(name), weights[name]);
    this.cumL1 = new Column();
    this.maxCumL1 = 0;
    if (s.l1 !== undefined) {
      const l1 = asObject(s.l1, `${what}.l1`);
      this.maxCumL1 = asNumber(l1.maxCumL1, `${what}.l1.maxCumL1`);
      const cum = asNumberRecord(l1.cumL1, `${what}.l1.cumL1`);
      for (const name of Object.keys(cum)) this.cumL1.set(vocabulary.intern(name), cum[name]);
    }
  }
}
