import { asObject } from '../base/snapshot.js';
import type { ClassLabel, Json } from '../base/types.js';
import { Mean } from '../stats/mean.js';
import { Metric, type MetricPrediction } from './metric.js';

/**
 * A metric that is the running weighted mean of a per-pair loss (River's
 * `metrics.base.MeanMetric`), in `stats.Mean`'s update form so the value matches River's bits.
 */
export abstract class MeanMetric extends Metric {
  private readonly mean = new Mean();

  /** The loss of one pair. */
  protected abstract evaluate(yTrue: ClassLabel, yPred: MetricPrediction): number;

  update(yTrue: ClassLabel, yPred: MetricPrediction, w = 1): void {
    this.mean.update(this.evaluate(yTrue, yPred), w);
  }

  revert(yTrue: ClassLabel, yPred: MetricPrediction, w = 1): void {
    this.mean.revert(this.evaluate(yTrue, yPred), w);
  }

  get(): number {
    return this.mean.get();
  }

  getState(): Json {
    return { mean: this.mean.getState() };
  }

  setState(state: Json): void {
    this.mean.setState(asObject(state, this.kind).mean ?? null);
  }
}
