import type { Task } from '../base/types.js';
import { MeanMetric } from './mean-metric.js';

/** Shared traits of River's `metrics.base.RegressionMetric`: numbers in, `,.6f` out, smaller is better. */
export abstract class RegressionMeanMetric extends MeanMetric {
  readonly requiresLabels = true;
  readonly bigIsBetter: boolean = false;
  readonly tasks: ReadonlyArray<Task> = ['regression'];
  protected override readonly format = ',.6f';
}
