import { describe, expect, it } from 'vitest';
import { erf } from './erf.js';

describe('erf follows glibc’s erf as CPython’s math.erf does', () => {
  it('gives CPython 3.11 (glibc 2.36) values bit for bit across every branch of the approximation', () => {
    const expected: Array<[number, number]> = [
      [1e-10, 1.1283791670955126e-10],
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [-0.7, -0.6778011938374184],
      [0.9, 0.7969082124228322],
      [1.1, 0.8802050695740817],
      [-1.2, -0.9103139782296353],
      [2.0, 0.9953222650189527],
      [2.5, 0.999593047982555],
      [-3.3, -0.9999969422902035],
      [4.0, 0.9999999845827421],
      [5.9, 0.9999999999999999],
    ];
    for (const [x, y] of expected) expect(erf(x)).toBe(y);
  });

  it('saturates and keeps signs and NaN', () => {
    expect(erf(0)).toBe(0);
    expect(Object.is(erf(-0), -0)).toBe(true);
    expect(erf(7)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erf(Number.NaN)).toBeNaN();
  });
});
