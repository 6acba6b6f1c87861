/**
 * A latency histogram in milliseconds that costs an array increment per value, so a benchmark can
 * record millions of deliveries without keeping them: 10 µs buckets up to 10 ms, then buckets 0.5%
 * wide (quantiles within 0.5%), and the exact maximum. Histograms merge, and travel between
 * processes as JSON.
 *
 * @example
 * const h = new Histogram();
 * for (const ms of [1, 2, 3, 250]) h.record(ms);
 * h.quantile(0.5); // ≈ 2
 */
export class Histogram {
  private static readonly LINEAR = 1000; // 10 µs buckets up to 10 ms
  private static readonly GROWTH = Math.log(1.005);
  private static readonly SIZE = Histogram.LINEAR + Math.ceil(Math.log(600_000 / 10) / Histogram.GROWTH) + 1; // up to 10 min
  count = 0;
  max = 0;
  sum = 0;

  private readonly counts = new Uint32Array(Histogram.SIZE);

  record(ms: number): void {
    const v = ms < 0 ? 0 : ms;
    this.counts[Histogram.bucket(v)]++;
    this.count++;
    this.sum += v;
    if (v > this.max) this.max = v;
  }

  merge(other: Histogram): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i] += other.counts[i];
    this.count += other.count;
    this.sum += other.sum;
    this.max = Math.max(this.max, other.max);
  }

  /** The value below which a fraction `q` of the recorded values lie (the bucket's upper edge, capped at the max). */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(Histogram.upper(i), this.max);
    }
    return this.max;
  }

  get mean(): number {
    return this.count === 0 ? Number.NaN : this.sum / this.count;
  }

  /** How many values exceeded `ms` (to bucket precision). */
  above(ms: number): number {
    let n = 0;
    for (let i = Histogram.bucket(ms) + 1; i < this.counts.length; i++) n += this.counts[i];
    return n;
  }

  toJSON(): { buckets: Array<[number, number]>; max: number; sum: number } {
    const buckets: Array<[number, number]> = [];
    for (let i = 0; i < this.counts.length; i++) if (this.counts[i] > 0) buckets.push([i, this.counts[i]]);
    return { buckets, max: this.max, sum: this.sum };
  }

  static fromJSON(json: { buckets: Array<[number, number]>; max: number; sum: number }): Histogram {
    const h = new Histogram();
    for (const [i, n] of json.buckets) {
      h.counts[i] = n;
      h.count += n;
    }
    h.max = json.max;
    h.sum = json.sum;
    return h;
  }

  private static bucket(ms: number): number {
    const tenUs = ms * 100;
    if (tenUs < Histogram.LINEAR) return Math.floor(tenUs);
    return Math.min(Histogram.SIZE - 1, Histogram.LINEAR + Math.floor(Math.log(ms / 10) / Histogram.GROWTH));
  }

  private static upper(i: number): number {
    if (i < Histogram.LINEAR) return (i + 1) / 100;
    return 10 * Math.exp((i - Histogram.LINEAR + 1) * Histogram.GROWTH);
  }
}

/** A number for a table: `12.3`, `0.42`, `1,234`. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}
