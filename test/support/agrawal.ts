import { RandomState } from './numpy-random.js';

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

export interface AgrawalOptions {
  /** Which of the 10 labelling functions to use. @default 0 */
  classificationFunction?: number;
  /** Seed of the numpy RandomState. */
  seed: number;
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

/** numpy's `np.round`: round half to even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * River's `datasets.synth.Agrawal` (river/datasets/synth/agrawal.py, 0.22): nine loan features
 * drawn from a numpy RandomState in River's order, labelled by one of ten functions.
 *
 * @example
 * const [x, y] = agrawal({ seed: 42 }).next().value;
 * // x.salary = 68690.21545015712, x.commission = 81303.57298074372, x.age = 62, y = 1
 */
export function* agrawal(options: AgrawalOptions): Generator<[AgrawalFeatures, number]> {
  const fn = options.classificationFunction ?? 0;
  const label = FUNCTIONS[fn];
  if (label === undefined) throw new RangeError(`classification_function takes values from 0 to 9 and ${fn} was passed`);
  const perturbation = options.perturbation ?? 0;
  if (!(perturbation >= 0 && perturbation <= 1)) throw new RangeError('perturbation must be in [0, 1]');
  const rng = new RandomState(options.seed);
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
      const age = 20 + rng.randint(61);
      const elevel = rng.randint(5);
      const car = rng.randint(20);
      const zipcode = rng.randint(9);
      const hvalue = (9 - zipcode) * 100000 * (0.5 + rng.rand());
      const hyears = 1 + rng.randint(30);
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
      // River passes (min=(9 - zipcode) * 100000, max=0, range=135000) here; kept as is.
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
