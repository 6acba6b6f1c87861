import type { Column } from '../base/column.js';
import { asNumber, asObject } from '../base/snapshot.js';
import { Step } from '../base/step.js';
import type { Json, JsonObject } from '../base/types.js';

/**
 * A sequential optimizer (River's `optim.base.Optimizer`): updates the weights of the features
 * present in one gradient. Per-feature state (moments, accumulators) is indexed by the shared
 * vocabulary, so an optimizer is a step for vocabulary purposes.
 */
export abstract class Optimizer extends Step {
  nIterations = 0;

  /** The current learning rate (River reads it for the L1 cumulative penalty). */
  abstract get learningRate(): number;

  /** Called before the gradient is computed (River's `look_ahead`); most optimizers do nothing. */
  lookAhead(_weights: Column): void {}

  /** Applies one step for the gradient `grads[i]` of feature `ids[i]`, i < size. */
  step(weights: Column, ids: Int32Array, grads: Float64Array, size: number): void {
    this.applyStep(weights, ids, grads, size);
    this.nIterations++;
  }

  protected abstract applyStep(weights: Column, ids: Int32Array, grads: Float64Array, size: number): void;

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
