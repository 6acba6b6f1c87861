/**
 * Per-feature numbers indexed by vocabulary id, growing as the vocabulary grows. Reading past
 * the end gives 0, like River's `defaultdict(float)`; `has` says whether an id was ever written,
 * so snapshots list only the features a step has really seen.
 */
export class Column {
  data: Float64Array;
  private seen: Uint8Array;

  constructor(capacity = 16) {
    this.data = new Float64Array(capacity);
    this.seen = new Uint8Array(capacity);
  }

  get(id: number): number {
    return id < this.data.length ? this.data[id] : 0;
  }

  has(id: number): boolean {
    return id < this.seen.length && this.seen[id] === 1;
  }

  set(id: number, value: number): void {
    if (id >= this.data.length) this.grow(id + 1);
    this.data[id] = value;
    this.seen[id] = 1;
  }

  /** Ids ever written, in id order. */
  *ids(): IterableIterator<number> {
    for (let id = 0; id < this.seen.length; id++) if (this.seen[id] === 1) yield id;
  }

  private grow(minimum: number): void {
    let capacity = this.data.length * 2;
    while (capacity < minimum) capacity *= 2;
    const data = new Float64Array(capacity);
    data.set(this.data);
    const seen = new Uint8Array(capacity);
    seen.set(this.seen);
    this.data = data;
    this.seen = seen;
  }
}
