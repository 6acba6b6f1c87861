import { asArray, asNumber, asObject } from '../base/snapshot.js';
import type { Snapshotable } from '../base/snapshot.js';
import type { Json, JsonObject } from '../base/types.js';

export interface ADWINOptions {
  /** Significance of the cut test: smaller means fewer, later detections. @default 0.002 */
  delta?: number;
  /** Test for a change every `clock` updates. @default 32 */
  clock?: number;
  /** Buckets of each size kept before two are merged (ADWIN2's compression). @default 5 */
  maxBuckets?: number;
  /** Sub-windows shorter than this are never compared. @default 5 */
  minWindowLength?: number;
  /** No test until the window is longer than this. @default 10 */
  gracePeriod?: number;
}

/** One row of same-size buckets (size 2^row), oldest first: River's `Bucket`. */
interface Row {
  totals: number[];
  variances: number[];
}

function checkInt(value: number, min: number, what: string): number {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${what} must be an integer >= ${min}`);
  return value;
}

/**
 * ADWIN, adaptive windowing: keeps a window of recent values, compressed into exponential
 * buckets, and drops its older part when two sub-windows' means differ by more than a Hoeffding-
 * style bound. `driftDetected` is true after the update that cut the window; the next update then
 * starts from an empty window, as River's `_reset` does. Port of river/drift/adwin.py and
 * river/drift/adwin_c.pyx (River 0.22, which tests every bucket as a cut point, as MOA does).
 *
 * `variance` is River's: the window's sum of squared deviations, not divided by `width`.
 * Bifet and Gavaldà, "Learning from time-changing data with adaptive windowing", SDM 2007.
 *
 * @example
 * // River's docstring stream: 1000 draws from [0, 1], then 1000 from [4, 5, 6, 7].
 * const rng = datasets.pythonRandom(12345);
 * const stream = [...rng.choices([0, 1], 1000), ...rng.choices([4, 5, 6, 7], 1000)];
 * const adwin = new drift.ADWIN();
 * const changes: string[] = [];
 * stream.forEach((x, i) => {
 *   adwin.update(x);
 *   if (adwin.driftDetected) changes.push(`Change detected at index ${i}, input value: ${x}`);
 * });
 * changes; // => [ 'Change detected at index 1023, input value: 4' ] (River's docstring)
 */
export class ADWIN implements Snapshotable {
  readonly kind = 'ADWIN';
  readonly params: Readonly<Required<ADWINOptions>>;
  driftDetected = false;
  private rows: Row[] = [];
  private sum = 0;
  private sumSquares = 0;
  private n = 0;
  private tick = 0;
  private detections = 0;
  private totalWidth = 0;

  constructor(options: ADWINOptions = {}) {
    const delta = options.delta ?? 0.002;
    if (!(delta > 0 && delta < 1)) throw new RangeError('delta must be > 0 and < 1');
    this.params = {
      delta,
      clock: checkInt(options.clock ?? 32, 1, 'clock'),
      maxBuckets: checkInt(options.maxBuckets ?? 5, 1, 'maxBuckets'),
      minWindowLength: checkInt(options.minWindowLength ?? 5, 1, 'minWindowLength'),
      gracePeriod: checkInt(options.gracePeriod ?? 10, 0, 'gracePeriod'),
    };
    this.reset();
  }

  /** Number of values in the window. */
  get width(): number {
    return this.n;
  }

  /** Sum of the values in the window. */
  get total(): number {
    return this.sum;
  }

  /** Sum of squared deviations from the window's mean (River's `variance`). */
  get variance(): number {
    return this.sumSquares;
  }

  /** Mean of the window, 0 when empty. */
  get estimation(): number {
    return this.n === 0 ? 0 : this.sum / this.n;
  }

  /** Cuts since the last reset: River resets on the update after a detection, so 0 or 1. */
  get nDetections(): number {
    return this.detections;
  }

  /** Adds `x` to the window and tests for a change. */
  update(x: number): void {
    if (this.driftDetected) this.reset();
    this.insert(x);
    this.driftDetected = this.detectChange();
  }

  private reset(): void {
    this.driftDetected = false;
    this.rows = [{ totals: [], variances: [] }];
    this.sum = 0;
    this.sumSquares = 0;
    this.n = 0;
    this.tick = 0;
    this.detections = 0;
    this.totalWidth = 0;
  }

  private insert(value: number): void {
    this.rows[0].totals.push(value);
    this.rows[0].variances.push(0);
    this.n += 1;
    if (this.n > 1) {
      const d = value - this.sum / (this.n - 1);
      this.sumSquares += ((this.n - 1) * d * d) / this.n;
    }
    this.sum += value;
    this.compress();
  }

  /** Merges the two oldest buckets of a full row into one of the next row, cascading. */
  private compress(): void {
    const max = this.params.maxBuckets;
    for (let idx = 0; idx < this.rows.length; idx++) {
      const row = this.rows[idx];
      if (row.totals.length !== max + 1) break;
      if (idx + 1 === this.rows.length) this.rows.push({ totals: [], variances: [] });
      const next = this.rows[idx + 1];
      const size = 2 ** idx;
      const mu1 = row.totals[0] / size;
      const mu2 = row.totals[1] / size;
      const temp = (size * size * (mu1 - mu2) * (mu1 - mu2)) / (size + size);
      next.totals.push(row.totals[0] + row.totals[1]);
      next.variances.push(row.variances[0] + row.variances[1] + temp);
      row.totals.splice(0, 2);
      row.variances.splice(0, 2);
      if (next.totals.length <= max) break;
    }
  }

  /** Drops the oldest bucket; returns its size. */
  private deleteOldest(): number {
    const last = this.rows.length - 1;
    const row = this.rows[last];
    const size = 2 ** last;
    const u = row.totals[0];
    const mu = u / size;
    const v = row.variances[0];
    this.n -= size;
    this.sum -= u;
    const muWindow = this.sum / this.n;
    this.sumSquares -= v + (size * this.n * (mu - muWindow) * (mu - muWindow)) / (size + this.n);
    row.totals.shift();
    row.variances.shift();
    if (row.totals.length === 0) this.rows.pop();
    return size;
  }

  /**
   * Every `clock` ticks, walks the cut points from the oldest bucket to the newest and drops the
   * oldest bucket at the first significant cut, then starts over, until no cut is significant.
   */
  private detectChange(): boolean {
    const { clock, gracePeriod, minWindowLength } = this.params;
    let change = false;
    this.tick += 1;
    if (this.tick % clock === 0 && this.n > gracePeriod) {
      let reduce = true;
      while (reduce) {
        reduce = false;
        let exit = false;
        let n0 = 0;
        let n1 = this.n;
        let u0 = 0;
        let u1 = this.sum;
        for (let idx = this.rows.length - 1; idx >= 0 && !exit; idx--) {
          const row = this.rows[idx];
          const size = 2 ** idx;
          for (let k = 0; k < row.totals.length; k++) {
            n0 += size;
            n1 -= size;
            u0 += row.totals[k];
            u1 -= row.totals[k];
            if (idx === 0 && k === row.totals.length - 1) {
              exit = true;
              break;
            }
            const deltaMean = u0 / n0 - u1 / n1;
            if (n1 >= minWindowLength && n0 >= minWindowLength && this.cut(n0, n1, deltaMean)) {
              reduce = true;
              change = true;
              if (this.n > 0) {
                n0 -= this.deleteOldest();
                exit = true;
                break;
              }
            }
          }
        }
      }
    }
    this.totalWidth += this.n;
    if (change) this.detections += 1;
    return change;
  }

  private cut(n0: number, n1: number, deltaMean: number): boolean {
    const { delta, minWindowLength } = this.params;
    const deltaPrime = Math.log((2 * Math.log(this.n)) / delta);
    const mRecip = 1 / (n0 - minWindowLength + 1) + 1 / (n1 - minWindowLength + 1);
    const epsilon = Math.sqrt(2 * mRecip * (this.sumSquares / this.n) * deltaPrime) + (2 / 3) * deltaPrime * mRecip;
    return Math.abs(deltaMean) > epsilon;
  }

  toSpec(): JsonObject {
    return { type: this.kind, ...this.params };
  }

  getState(): Json {
    return {
      driftDetected: this.driftDetected,
      nDetections: this.detections,
      rows: this.rows.map((r) => ({ totals: [...r.totals], variances: [...r.variances] })),
      tick: this.tick,
      total: this.sum,
      totalWidth: this.totalWidth,
      variance: this.sumSquares,
      width: this.n,
    };
  }

  setState(state: Json): void {
    const s = asObject(state, this.kind);
    const numbers = (value: Json | undefined, what: string) => asArray(value, what).map((v) => asNumber(v, what));
    this.rows = asArray(s.rows, 'ADWIN.rows').map((item) => {
      const r = asObject(item, 'ADWIN.rows[]');
      const row = { totals: numbers(r.totals, 'ADWIN.rows[].totals'), variances: numbers(r.variances, 'ADWIN.rows[].variances') };
      if (row.totals.length !== row.variances.length) throw new TypeError('ADWIN.rows[]: totals and variances differ in length');
      return row;
    });
    if (this.rows.length === 0) throw new TypeError('ADWIN.rows: expected at least one row');
    if (typeof s.driftDetected !== 'boolean') throw new TypeError('ADWIN.driftDetected: expected a boolean');
    this.driftDetected = s.driftDetected;
    this.detections = asNumber(s.nDetections, 'ADWIN.nDetections');
    this.tick = asNumber(s.tick, 'ADWIN.tick');
    this.sum = asNumber(s.total, 'ADWIN.total');
    this.totalWidth = asNumber(s.totalWidth, 'ADWIN.totalWidth');
    this.sumSquares = asNumber(s.variance, 'ADWIN.variance');
    this.n = asNumber(s.width, 'ADWIN.width');
  }

  /** A fresh detector with the same parameters. */
  clone(): ADWIN {
    return new ADWIN(this.params);
  }
}
