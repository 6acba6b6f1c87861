import { describe, expect, it } from 'vitest';
import { agrawalTake } from './agrawal.js';
import { RandomState } from './numpy-random.js';

describe('RandomState reproduces numpy’s legacy np.random.RandomState', () => {
  it('draws rand() as RandomState(42) does', () => {
    const r = new RandomState(42);
    expect([r.rand(), r.rand(), r.rand()]).toEqual([0.3745401188473625, 0.9507143064099162, 0.7319939418114051]);
  });

  it('draws randint(n) by masked rejection, for 32- and 64-bit ranges', () => {
    const r = new RandomState(42);
    expect(Array.from({ length: 10 }, () => r.randint(61))).toEqual([38, 51, 28, 14, 42, 7, 60, 20, 38, 57]);
    const s = new RandomState(7);
    const got = [61, 5, 20, 9, 30, 2 ** 31, 2 ** 32, 2 ** 40 + 5, 1, 3].map((n) => s.randint(n));
    expect(got).toEqual([47, 4, 3, 3, 23, 1956722279, 4200432988, 796881771918, 0, 0]);
  });
});

describe('agrawal reproduces River 0.22’s datasets.synth.Agrawal (Python’s random)', () => {
  const rows = agrawalTake(1000, { classificationFunction: 0, seed: 42 });

  it('gives the five samples of River 0.22’s docstring, in River’s feature order', () => {
    expect(Object.keys(rows[0][0])).toEqual(['salary', 'commission', 'age', 'elevel', 'car', 'zipcode', 'hvalue', 'hyears', 'loan']);
    expect(rows.slice(0, 5).map(([x, y]) => [...Object.values(x), y])).toEqual([
      [103125.48379952488, 0, 21, 2, 8, 3, 319768.96426257194, 4, 338349.74371145567, 1],
      [135983.3438016299, 0, 25, 4, 14, 0, 423837.77555045625, 7, 116330.4466953698, 1],
      [98262.43477649744, 0, 55, 1, 18, 6, 144088.12440813935, 19, 139095.35411533137, 0],
      [133009.0417030814, 0, 68, 1, 14, 5, 233361.40250149256, 7, 478606.5361033906, 1],
      [63757.29086464148, 16955.938253511093, 26, 2, 12, 4, 522851.309309752, 24, 229712.43983592128, 1],
    ]);
  });

  it('matches CPython on the 1000th sample and on label and category totals (car in 1..20)', () => {
    expect([...Object.values(rows[999][0]), rows[999][1]]).toEqual([51374.17128823524, 68061.83403578144, 66, 3, 17, 1, 862390.3158453257, 27, 186489.4340178238, 1]);
    expect(rows.reduce((s, [, y]) => s + y, 0)).toBe(654);
    expect(rows.reduce((s, [x]) => s + x.elevel, 0)).toBe(2033);
    expect(rows.reduce((s, [x]) => s + x.car, 0)).toBe(10692);
    expect(Math.min(...rows.map(([x]) => x.car))).toBe(1);
  });

  it('perturbs as River 0.22 does, rounding age and hyears half to even', () => {
    const got = agrawalTake(3, { seed: 7, perturbation: 0.2 }).map(([x, y]) => [...Object.values(x), y]);
    expect(got).toEqual([
      [62484.917554160966, 10000, 59, 0, 3, 8, 100000, 14, 13903.300215856196, 1],
      [112987.03102716267, 0, 28, 1, 19, 0, 900000, 12, 32931.83380131422, 1],
      [97565.93089701157, 0, 58, 1, 4, 3, 600000, 18, 411501.1378692382, 0],
    ]);
  });
});

describe('agrawal with version 0.12.1 reproduces River 0.12.1’s numpy-based generator', () => {
  const rows = agrawalTake(1000, { classificationFunction: 0, seed: 42, version: '0.12.1' });

  it('gives the five samples of River 0.12.1’s docstring, in River’s feature order', () => {
    expect(Object.keys(rows[0][0])).toEqual(['salary', 'commission', 'age', 'elevel', 'car', 'zipcode', 'hvalue', 'hyears', 'loan']);
    expect(rows.slice(0, 5).map(([x, y]) => [...Object.values(x), y])).toEqual([
      [68690.21545015712, 81303.57298074372, 62, 4, 6, 2, 419982.441072602, 11, 433088.07288746757, 1],
      [98144.95152661715, 0, 43, 2, 1, 7, 266488.52816008433, 6, 389.38292050716416, 0],
      [148987.50270785828, 0, 52, 3, 11, 8, 79122.91401980419, 27, 199930.48585762773, 0],
      [26066.536217770004, 83031.66391310944, 34, 2, 11, 6, 444969.26574203646, 25, 23225.20635999886, 1],
      [98980.83074718699, 0, 40, 0, 6, 1, 1159108.4298026664, 28, 281644.10892276966, 0],
    ]);
  });

  it('matches numpy on the 1000th sample and on label and category totals', () => {
    expect([...Object.values(rows[999][0]), rows[999][1]]).toEqual([66777.23708275365, 50557.42234754072, 72, 0, 10, 0, 928205.9579129483, 1, 484483.93104114983, 1]);
    expect(rows.reduce((s, [, y]) => s + y, 0)).toBe(672);
    expect(rows.reduce((s, [x]) => s + x.elevel, 0)).toBe(1997);
    expect(rows.reduce((s, [x]) => s + x.car, 0)).toBe(9864);
  });
});
