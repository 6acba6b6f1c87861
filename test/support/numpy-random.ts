import { MT19937 } from './python-random.js';

/** The smallest all-ones bit mask covering `max` (numpy's `gen_mask`). */
function mask32(max: number): number {
  let mask = max >>> 0;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  return mask >>> 0;
}

/**
 * numpy's legacy `np.random.RandomState(seed)` for an integer seed: MT19937 seeded with
 * `init_genrand`, `rand()` and `randint(n)` (legacy masked rejection sampling), as River's
 * synthetic datasets draw them through `check_random_state`.
 *
 * @example
 * new RandomState(42).rand(); // 0.3745401188473625, as np.random.RandomState(42).rand()
 */
export class RandomState {
  private readonly mt = new MT19937();

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError('Seed must be between 0 and 2**32 - 1');
    }
    this.mt.initGenrand(seed);
  }

  /** `rand()` / `random_sample()`: a double in [0, 1). */
  rand(): number {
    return this.mt.nextDouble();
  }

  /** `randint(n)`: an int in [0, n), by masked rejection as RandomState does. */
  randint(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError('high must be a positive safe integer');
    const range = n - 1;
    if (range === 0) return 0;
    if (range <= 0xffffffff) {
      if (range === 0xffffffff) return this.mt.nextUint32();
      const mask = mask32(range);
      let value = (this.mt.nextUint32() & mask) >>> 0;
      while (value > range) value = (this.mt.nextUint32() & mask) >>> 0;
      return value;
    }
    const max = BigInt(range);
    let mask = max;
    for (const shift of [1n, 2n, 4n, 8n, 16n, 32n]) mask |= mask >> shift;
    for (;;) {
      const hi = BigInt(this.mt.nextUint32());
      const lo = BigInt(this.mt.nextUint32());
      const value = ((hi << 32n) | lo) & mask;
      if (value <= max) return Number(value);
    }
  }
}
