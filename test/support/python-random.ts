/**
 * CPython's `random.Random` (Modules/_randommodule.c and Lib/random.py, CPython ≥ 3.2), so that
 * tests can replay streams that River's docstrings draw from Python's `random` module.
 *
 * @example
 * const r = new PythonRandom(42);
 * r.random(); // 0.6394267984578837, as random.Random(42).random()
 */

const N = 624;
const M = 397;

/** The Mersenne Twister MT19937 generator: state and 32-bit outputs, as in Matsumoto & Nishimura's reference code. */
export class MT19937 {
  private readonly mt = new Uint32Array(N);
  private index = N + 1;

  /** `init_genrand`: numpy's `RandomState(int)` seeding. */
  initGenrand(seed: number): void {
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = N;
  }

  /** `init_by_array`: CPython's `random.seed(int)` seeding, with the int's 32-bit words. */
  initByArray(key: readonly number[]): void {
    this.initGenrand(19650218);
    const mt = this.mt;
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.index = N;
  }

  /** `genrand_uint32`: the next 32-bit output. */
  nextUint32(): number {
    const mt = this.mt;
    if (this.index >= N) {
      if (this.index === N + 1) this.initGenrand(5489);
      let kk = 0;
      for (; kk < N - M; kk++) {
        const y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
        mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      for (; kk < N - 1; kk++) {
        const y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
        mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      const y = (mt[N - 1] & 0x80000000) | (mt[0] & 0x7fffffff);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      this.index = 0;
    }
    let y = mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `genrand_res53`: a double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) * (1 / 9007199254740992);
  }
}

/** The 32-bit words of |n|, least significant first: the key CPython's `random.seed(n)` uses. */
function seedKey(seed: bigint): number[] {
  let n = seed < 0n ? -seed : seed;
  const key: number[] = [];
  while (n > 0n) {
    key.push(Number(n & 0xffffffffn));
    n >>= 32n;
  }
  return key.length === 0 ? [0] : key;
}

/** `random.Random(seed)` for an integer seed. */
export class PythonRandom {
  private readonly mt = new MT19937();

  constructor(seed: number | bigint) {
    this.seed(seed);
  }

  /** `seed(int)`: init_by_array over the absolute value's 32-bit words. */
  seed(seed: number | bigint): void {
    if (typeof seed === 'number' && !Number.isInteger(seed)) throw new RangeError('only integer seeds are supported');
    this.mt.initByArray(seedKey(BigInt(seed)));
  }

  /** `random()`: a float in [0, 1). */
  random(): number {
    return this.mt.nextDouble();
  }

  /** `getrandbits(k)`: k random bits, the first 32-bit word the least significant. */
  getrandbits(k: number): bigint {
    if (!Number.isInteger(k) || k < 0) throw new RangeError('k must be a non-negative integer');
    if (k === 0) return 0n;
    if (k <= 32) return BigInt(this.mt.nextUint32() >>> (32 - k));
    let out = 0n;
    for (let shift = 0n; k > 0; shift += 32n, k -= 32) {
      let r = this.mt.nextUint32();
      if (k < 32) r >>>= 32 - k;
      out |= BigInt(r) << shift;
    }
    return out;
  }

  /** `_randbelow(n)` (getrandbits rejection sampling): an int in [0, n). */
  randbelow(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError('n must be a positive safe integer');
    const k = n.toString(2).length;
    if (k <= 32) {
      let r = this.mt.nextUint32() >>> (32 - k);
      while (r >= n) r = this.mt.nextUint32() >>> (32 - k);
      return r;
    }
    let r = Number(this.getrandbits(k));
    while (r >= n) r = Number(this.getrandbits(k));
    return r;
  }

  /** `randrange(start, stop)` with step 1, or `randrange(stop)`. */
  randrange(start: number, stop?: number): number {
    if (stop === undefined) return this.randbelow(start);
    if (stop <= start) throw new RangeError('empty range for randrange');
    return start + this.randbelow(stop - start);
  }

  /** `randint(a, b)`: an int in [a, b]. */
  randint(a: number, b: number): number {
    return this.randrange(a, b + 1);
  }

  /** `uniform(a, b)`: `a + (b - a) * random()`. */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.random();
  }

  /** `choice(seq)`: `seq[_randbelow(len(seq))]`. */
  choice<T>(seq: readonly T[]): T {
    if (seq.length === 0) throw new RangeError('cannot choose from an empty sequence');
    return seq[this.randbelow(seq.length)];
  }

  /** `choices(population, k=k)` without weights: `population[floor(random() * n)]`, k times. */
  choices<T>(population: readonly T[], k = 1): T[] {
    const n = population.length;
    const out: T[] = [];
    for (let i = 0; i < k; i++) out.push(population[Math.floor(this.random() * n)]);
    return out;
  }
}
