import { asArray, asNumber, asObject } from '../base/snapshot.js';
import type { ClassLabel, Json, JsonObject, Task } from '../base/types.js';
import { asLabel, asTuple } from './confusion-matrix.js';
import { Metric, type MetricPrediction } from './metric.js';

export interface RollingOptions {
  /** The metric computed over the window (River's `obj`). */
  metric: Metric;
  /** How many of the most recent pairs the metric covers; an integer >= 1. */
  windowSize: number;
}

interface Pair {
  readonly yTrue: ClassLabel;
  readonly yPred: MetricPrediction;
  readonly w: number;
}

/**
 * Any metric over the last `windowSize` (yTrue, yPred) pairs: the pairs are kept, and once the
 * window is full each update first reverts the oldest pair from the inner metric, then adds the
 * new one, in River's order. Port of river/utils/rolling.py (`utils.Rolling`, which replaced
 * `metrics.Rolling`). Its name is `Rolling(<inner name>, <windowSize>)`; it prints as River's
 * `Rolling` does, as the inner metric (`MSE: 0.5`).
 *
 * @example
 * const metric = new metrics.Rolling({ metric: new metrics.MSE(), windowSize: 2 });
 * const yTrue = [3, -0.5, 2, 7];
 * const yPred = [2.5, 0.0, 2, 8];
 * yTrue.forEach((y, i) => metric.update(y, yPred[i]));
 * String(metric); // => MSE: 0.5 (River's docstring)
 * metric.name; // => Rolling(MSE, 2)
 */
export class Rolling extends Metric {
  readonly kind = 'Rolling';
  readonly metric: Metric;
  readonly windowSize: number;
  readonly requiresLabels: boolean;
  readonly bigIsBetter: boolean;
  readonly tasks: ReadonlyArray<Task>;
  /** The window, oldest first, from `start` on; evicted slots before `start` are dropped in bulk. */
  private pairs: Pair[] = [];
  private start = 0;

  constructor(options: RollingOptions) {
    super();
    const { metric, windowSize } = options;
    if (!Number.isInteger(windowSize) || windowSize < 1) throw new RangeError('windowSize must be an integer >= 1');
    this.metric = metric;
    this.windowSize = windowSize;
    this.requiresLabels = metric.requiresLabels;
    this.bigIsBetter = metric.bigIsBetter;
    this.tasks = metric.tasks;
  }

  override get name(): string {
    return `Rolling(${this.metric.name}, ${this.windowSize})`;
  }

  /** How many pairs the window holds now. */
  get size(): number {
    return this.pairs.length - this.start;
  }

  update(yTrue: ClassLabel, yPred: MetricPrediction, w = 1): void {
    if (this.size === this.windowSize) {
      const oldest = this.pairs[this.start];
      this.metric.revert(oldest.yTrue, oldest.yPred, oldest.w);
      this.evictOldest();
    }
    this.metric.update(yTrue, yPred, w);
    // Callers may reuse their probability maps; the window must keep what was scored.
    this.pairs.push({ yTrue, yPred: yPred instanceof Map ? new Map(yPred) : yPred, w });
  }

  /**
   * Takes the newest matching pair out of the window and the inner metric. A pair that already
   * left the window was reverted then, so nothing happens (River's `Rolling` would revert it
   * from the inner metric a second time and leave the window as it was).
   */
  revert(yTrue: ClassLabel, yPred: MetricPrediction, w = 1): void {
    for (let i = this.pairs.length - 1; i >= this.start; i--) {
      const pair = this.pairs[i];
      if (pair.yTrue === yTrue && pair.w === w && samePrediction(pair.yPred, yPred)) {
        this.metric.revert(pair.yTrue, pair.yPred, pair.w);
        this.pairs.splice(i, 1);
        return;
      }
    }
  }

  private evictOldest(): void {
    this.start += 1;
    if (this.start >= 1024 && this.start * 2 >= this.pairs.length) {
      this.pairs = this.pairs.slice(this.start);
      this.start = 0;
    }
  }

  get(): number {
    return this.metric.get();
  }

  override toString(): string {
    return this.metric.toString();
  }

  override toSpec(): JsonObject {
    return { type: this.kind, metric: this.metric.toSpec(), windowSize: this.windowSize };
  }

  /** The window oldest first as `[yTrue, yPred, w]`, probabilities as `[label, p]` pairs, and the inner state. */
  getState(): Json {
    const window: Json[] = [];
    for (let i = this.start; i < this.pairs.length; i++) {
      const { yTrue, yPred, w } = this.pairs[i];
      window.push([yTrue, predictionToJson(yPred), w]);
    }
    return { metric: this.metric.getState(), window };
  }

  setState(state: Json): void {
    const s = asObject(state, 'Rolling');
    const window = asArray(s.window, 'Rolling.window');
    if (window.length > this.windowSize) throw new TypeError('Rolling.window: more pairs than windowSize');
    const pairs = window.map((item) => {
      const [yTrue, yPred, w] = asTuple(item, 3, 'Rolling.window');
      return {
        yTrue: asLabel(yTrue, 'Rolling.window'),
        yPred: predictionFromJson(yPred),
        w: asNumber(w, 'Rolling.window'),
      };
    });
    this.metric.setState(s.metric ?? null);
    this.pairs = pairs;
    this.start = 0;
  }

  clone(): Rolling {
    return new Rolling({ metric: this.metric.clone(), windowSize: this.windowSize });
  }
}

function samePrediction(a: MetricPrediction, b: MetricPrediction): boolean {
  if (!(a instanceof Map) || !(b instanceof Map)) return a === b;
  if (a.size !== b.size) return false;
  for (const [label, p] of a) if (b.get(label) !== p) return false;
  return true;
}

/** A prediction as JSON: a label as itself, class probabilities as `[label, p]` pairs in key order. */
export function predictionToJson(yPred: MetricPrediction): Json {
  if (yPred instanceof Map) return [...yPred].map(([label, p]) => [label, p]);
  return yPred;
}

/** The inverse of `predictionToJson`: arrays of `[label, p]` become probability maps again. */
export function predictionFromJson(value: Json | undefined): MetricPrediction {
  if (!Array.isArray(value)) return asLabel(value, 'Rolling.window');
  return new Map(
    value.map((item) => {
      const [label, p] = asTuple(item, 2, 'Rolling.window');
      return [asLabel(label, 'Rolling.window'), asNumber(p, 'Rolling.window')] as const;
    }),
  );
}
