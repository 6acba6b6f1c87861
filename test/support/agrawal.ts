import { RandomState } from './numpy-random.js';
import { PythonRandom } from './python-random.js';

/** One Agrawal sample, keyed in River's feature order. */
export interface AgrawalFeatures {
  salary: number;
  commission: number;
  age: number;
  elevel: number;
  car: number;
  zipcode: number;
  hvalue: number;
  hyears: number;
  loan: number;
}

/**
 * Which River generator to replay. River 0.15 rewrote `Agrawal` on Python's `random` (release
 * notes: "Removed unnecessary Numpy usage in the `synth` submodule"), which changed every sample:
 * - `'0.22'`: `random.Random(seed)`, `randint(a, b)` inclusive, car in 1..20, hvalue from (8 − zipcode);
 * - `'0.12.1'`: numpy's `RandomState(seed)`, `randint(n)` exclusive, car in 0..19, hvalue from (9 − zipcode).
 */
export type AgrawalVersion = '0.22' | '0.12.1';

export interface AgrawalOptions {
  /** Which of the 10 labelling functions to use. @default 0 */
  classificationFunction?: number;
  /** Seed of the random generator (Python's `random.Random` in 0.22, numpy's `RandomState` in 0.12.1). */
  seed: number;
  /** Which River version's generator to reproduce. @default '0.22' */
  version?: AgrawalVersion;
  /** Alternate the classes 1, 0, 1, … by rejection. @default false */
  balanceClasses?: boolean;
  /** Noise level in [0, 1]. @default 0 */
  perturbation?: number;
}

type Labeller = (f: AgrawalFeatures) => number;

const between = (lo: number, v: number, hi: number) => lo <= v && v <= hi;
const bit = (b: boolean) => (b ? 1 : 0);

const FUNCTIONS: readonly Labeller[] = [
  ({ age }) => bit(age < 40 || 60 <= age),
  ({ age, salary }) =>
    age < 40 ? bit(between(50000, salary, 100000)) : age < 60 ? bit(between(75000, salary, 125000)) : bit(between(25000, salary, 75000)),
  ({ age, elevel }) =>
    age < 40 ? bit(elevel === 0 || elevel === 1) : age < 60 ? bit(elevel >= 1 && elevel <= 3) : bit(elevel >= 2 && elevel <= 4),
  ({ age, elevel, salary }) => {
    if (age < 40) return elevel === 0 || elevel === 1 ? bit(between(25000, salary, 75000)) : bit(between(50000, salary, 100000));
    if (age < 60) return elevel >= 1 && elevel <= 3 ? bit(between(50000, salary, 100000)) : bit(between(75000, salary, 125000));
    return elevel >= 2 && elevel <= 4 ? bit(between(50000, salary, 100000)) : bit(between(25000, salary, 75000));
  },
  ({ age, salary, loan }) => {
    if (age < 40) {
      return between(50000, salary, 100000) ? bit(between(100000, loan, 300000)) : bit(between(200000, salary, 400000));
    }
    if (age < 60) {
      return between(75000, salary, 125000) ? bit(200000 <= salary && loan <= 400000) : bit(between(300000, salary, 500000));
    }
    return between(25000, salary, 75000) ? bit(between(300000, loan, 500000)) : bit(between(75000, loan, 300000));
  },
  ({ age, salary, commission }) => {
    const total = salary + commission;
    if (age < 40) return bit(between(50000, total, 100000));
    if (age < 60) return bit(between(75000, total, 125000));
    return bit(between(25000, total, 75000));
  },
  ({ salary, commission, loan }) => ((2 * (salary + commission)) / 3 - loan / 5 - 20000 > 1 ? 0 : 1),
  ({ salary, commission, elevel }) => ((2 * (salary + commission)) / 3 - 5000 * elevel - 20000 > 1 ? 0 : 1),
  ({ salary, commission, elevel, loan }) =>
    (2 * (salary + commission)) / 3 - 5000 * elevel - loan / 5 - 10000 > 1 ? 0 : 1,
  ({ salary, commission, elevel, hvalue, hyears }) => {
    const equity = hyears >= 20 ? (hvalue * (hyears - 20)) / 10 : 0;
    return (2 * (salary + commission)) / 3 - 5000 * elevel + equity / 5 - 10000 > 1 ? 0 : 1;
  },
];

/** Python's `round` / numpy's `np.round` on a float: round half to even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The draws one River version makes: `rand()` in [0, 1) and `int(lo, hi)` in [lo, hi]. */
interface Draws {
  rand(): number;
  int(lo: number, hi: number): number;
  /** Factor of hvalue's range: (9 − zipcode) in 0.12.1, (8 − zipcode) in 0.22. */
  hvalueZipBase: number;
  /** Lowest car maker: 0 in 0.12.1 (`randint(20)`), 1 in 0.22 (`randint(1, 20)`). */
  carMin: number;
}

function draws(version: AgrawalVersion, seed: number): Draws {
  if (version === '0.12.1') {
    const rng = new RandomState(seed);
    return { rand: () => rng.rand(), int: (lo, hi) => lo + rng.randint(hi - lo + 1), hvalueZipBase: 9, carMin: 0 };
  }
  if (version !== '0.22') throw new RangeError(`unknown Agrawal version ${String(version)}`);
  const rng = new PythonRandom(seed);
  return { rand: () => rng.random(), int: (lo, hi) => rng.randint(lo, hi), hvalueZipBase: 8, carMin: 1 };
}

/**
 * River's `datasets.synth.Agrawal` (river/datasets/synth/agrawal.py): nine loan features drawn in
 * River's order, labelled by one of ten functions. By default River 0.22's generator (Python's
 * `random`); `version: '0.12.1'` replays the numpy-based generator of River ≤ 0.14.
 *
 * @example
 * const [x, y] = agrawal({ seed: 42 }).next().value;
 * // x.salary = 103125.48379952488, x.commission = 0, x.age = 21, y = 1 (River 0.22's docstring)
 * const [x0] = agrawal({ seed: 42, version: '0.12.1' }).next().value;
 * // x0.salary = 68690.21545015712, x0.age = 62 (River 0.12.1's docstring)
 */
export function* agrawal(options: AgrawalOptions): Generator<[AgrawalFeatures, number]> {
  const fn = options.classificationFunction ?? 0;
  const label = FUNCTIONS[fn];
  if (label === undefined) throw new RangeError(`classification_function takes values from 0 to 9 and ${fn} was passed`);
  const perturbation = options.perturbation ?? 0;
  if (!(perturbation >= 0 && perturbation <= 1)) throw new RangeError('perturbation must be in [0, 1]');
  const rng = draws(options.version ?? '0.22', options.seed);
  const perturb = (val: number, min: number, max: number, range = max - min) => {
    const v = val + range * (2 * (rng.rand() - 0.5)) * perturbation;
    return v < min ? min : v > max ? max : v;
  };
  let nextClassShouldBeZero = false;
  for (;;) {
    let f: AgrawalFeatures;
    let y: number;
    for (;;) {
      const salary = 20000 + 130000 * rng.rand();
      const commission = salary >= 75000 ? 0 : 10000 + 75000 * rng.rand();
      const age = rng.int(20, 80);
      const elevel = rng.int(0, 4);
      const car = rng.int(rng.carMin, rng.carMin + 19);
      const zipcode = rng.int(0, 8);
      const hvalue = (rng.hvalueZipBase - zipcode) * 100000 * (0.5 + rng.rand());
      const hyears = rng.int(1, 30);
      const loan = rng.rand() * 500000;
      f = { salary, commission, age, elevel, car, zipcode, hvalue, hyears, loan };
      y = label(f);
      if (!options.balanceClasses) break;
      if ((nextClassShouldBeZero && y === 0) || (!nextClassShouldBeZero && y === 1)) {
        nextClassShouldBeZero = !nextClassShouldBeZero;
        break;
      }
    }
    if (perturbation > 0) {
      f.salary = perturb(f.salary, 20000, 150000);
      if (f.commission > 0) f.commission = perturb(f.commission, 10000, 75000);
      f.age = roundHalfEven(perturb(f.age, 20, 80));
      // Both versions pass (min=(9 - zipcode) * 100000, max=0, range=135000) here; kept as is.
      f.hvalue = perturb(f.hvalue, (9 - f.zipcode) * 100000, 0, 135000);
      f.hyears = roundHalfEven(perturb(f.hyears, 1, 30));
      f.loan = perturb(f.loan, 0, 500000);
    }
    yield [f, y];
  }
}

/** The first `n` samples of `agrawal(options)`. */
export function agrawalTake(n: number, options: AgrawalOptions): Array<[AgrawalFeatures, number]> {
  const out: Array<[AgrawalFeatures, number]> = [];
  if (n <= 0) return out;
  for (const sample of agrawal(options)) {
    out.push(sample);
    if (out.length === n) break;
  }
  return out;
}
