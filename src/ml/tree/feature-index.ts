import type { FeatureVector } from '../base/feature-vector.js';

/**
 * Where each feature id sits in the current sample, so that tests and observers look features
 * up in O(1) (River's `att in x` / `x[att]`). Stamps avoid clearing between samples.
 */
export class FeatureIndex {
  private stamp = new Uint32Array(16);
  private pos = new Int32Array(16);
  private current = 0;

  load(x: FeatureVector): void {
    if (++this.current === 0xffffffff) {
      this.stamp.fill(0);
      this.current = 1;
    }
    const { ids } = x;
    for (let i = 0; i < x.size; i++) {
      const id = ids[i];
      if (id >= this.stamp.length) this.grow(id + 1);
      this.stamp[id] = this.current;
      this.pos[id] = i;
    }
  }

  /** The index of feature `id` in the loaded sample, or -1 when it is absent. */
  position(id: number): number {
    return id < this.stamp.length && this.stamp[id] === this.current ? this.pos[id] : -1;
  }

  private grow(minimum: number): void {
    let capacity = this.stamp.length * 2;
    while (capacity < minimum) capacity *= 2;
    const stamp = new Uint32Array(capacity);
    stamp.set(this.stamp);
    const pos = new Int32Array(capacity);
    pos.set(this.pos);
    this.stamp = stamp;
    this.pos = pos;
  }
}
