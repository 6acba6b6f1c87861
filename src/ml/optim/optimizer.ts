import type { Column } from '../base/column.js';
import { asNumber, asObject } from '../base/snapshot.js';
import { Step } from '../base/step.js';
import type { Json, JsonObject } from '../base/types.js';

/**
 * A sequential optimizer (River's `optim.base.Optimizer`): updates the weights of the features
 * present in one gradient. Per-feature state (moments, accumulators) is indexed by the shared
 * vocabulary, so an optimizer is a step for vocabulary purposes.
 *
 * River's `Optimizer.step(w, g)` dispatches on its arguments: a GLM hands it `VectorDict`s and gets
 * the optimizer's vector form when it has one (`_step_with_vector`), SoftmaxRegression hands it
 * plain dicts and gets the dict form (`_step_with_dict`). The two differ for Adam and RMSProp on
 * features absent from the gradient, so both are here: `step` is the GLM's call, `stepDict` the
 * plain-dict call. Port of river/optim/base.py.
 */
export abstract class Optimizer extends Step {
  nIterations = 0;

  /** The current learning rate (River reads it for the L1 cumulative penalty). */
  abstract get learningRate(): number;

  /** Called before the gradient is computed (River's `look_ahead`); most optimizers do nothing. */
  lookAhead(_weights: Column): void {}

  /**
   * One step for the gradient `grads[i]` of feature `ids[i]`, i < size, as a GLM takes it: River's
   * `step` with the weights masked to the sample's features.
   */
  step(weights: Column, ids: Int32Array, grads: Float64Array, size: number): void {
    this.applyVectorStep(weights, ids, grads, size);
    this.nIterations++;
  }

  /** One step that touches only the features in the gradient (River's `step` with plain dicts). */
  stepDict(weights: Column, ids: Int32Array, grads: Float64Array, size: number): void {
    this.applyStep(weights, ids, grads, size);
    this.nIterations++;
  }

  /** River's `_step_with_dict`. */
  protected abstract applyStep(weights: Column, ids: Int32Array, grads: Float64Array, size: number): void;

  /** River's `_step_with_vector`; optimizers without one fall back to the dict form, as River does. */
  protected applyVectorStep(weights: Column, ids: Int32Array, grads: Float64Array, size: number): void {
    this.applyStep(weights, ids, grads, size);
  }

  /** Optimizer-specific state; `nIterations` is kept by the base. */
  protected getOwnState(): JsonObject {
    return {};
  }

  protected setOwnState(_state: JsonObject): void {}

  getState(): Json {
    return { ...this.getOwnState(), nIterations: this.nIterations };
  }

  setState(state: Json): void {
    const s = asObject(state, this.kind);
    this.nIterations = asNumber(s.nIterations, `${this.kind}.nIterations`);
    this.setOwnState(s);
  }

  abstract override clone(): Optimizer;
}
