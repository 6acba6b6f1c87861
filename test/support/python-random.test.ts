import { describe, expect, it } from 'vitest';
import { PythonRandom } from './python-random.js';

// Expected values printed by CPython 3.11 (`random.Random(seed)`).
describe('PythonRandom reproduces CPython random.Random', () => {
  it('draws random() as random.Random(42) does', () => {
    const r = new PythonRandom(42);
    expect([r.random(), r.random(), r.random()]).toEqual([0.6394267984578837, 0.025010755222666936, 0.27502931836911926]);
    expect(new PythonRandom(12345).random()).toBe(0.41661987254534116);
    expect(new PythonRandom(0).random()).toBe(0.8444218515250481);
  });

  it('seeds with the absolute value and all 32-bit words of big and negative ints', () => {
    expect(new PythonRandom(2n ** 40n + 12345n).random()).toBe(0.31036222241287226);
    expect(new PythonRandom(-7).random()).toBe(0.32383276483316237);
    const r = new PythonRandom(2n ** 64n + 3n);
    expect([r.randint(0, 1e12), r.randint(0, 1e12), r.randint(0, 1e12)]).toEqual([549382016207, 111337145076, 514664314423]);
  });

  it('draws randint, randrange and getrandbits with _randbelow rejection', () => {
    const r = new PythonRandom(42);
    expect(Array.from({ length: 5 }, () => r.randint(1, 100))).toEqual([82, 15, 4, 95, 36]);
    const s = new PythonRandom(42);
    expect(Array.from({ length: 5 }, () => s.randrange(1000))).toEqual([654, 114, 25, 759, 281]);
    expect(s.getrandbits(70)).toBe(151691464061534419856n);
    expect(s.getrandbits(32)).toBe(3163119785n);
    expect(s.getrandbits(1)).toBe(0n);
  });

  it('draws uniform as a + (b - a) * random(), like the StandardScaler docstring data', () => {
    const r = new PythonRandom(42);
    expect([r.uniform(8, 12), r.uniform(8, 12)]).toEqual([10.557707193831535, 8.100043020890668]);
  });

  it('draws choices by floor(random() * n) and choice by _randbelow', () => {
    expect(new PythonRandom(42).choices(['a', 'b', 'c', 'd'], 8)).toEqual(['c', 'a', 'b', 'a', 'c', 'c', 'd', 'a']);
    const r = new PythonRandom(42);
    expect(Array.from({ length: 6 }, () => r.choice([0, 1, 2, 3, 4, 5, 6]))).toEqual([5, 0, 0, 5, 2, 1]);
  });
});
