import { describe, expect, it } from 'vitest';
import type { ClassLabel } from '../base/types.js';
import { Accuracy } from './accuracy.js';
import { F1 } from './f1.js';
import { LogLoss } from './log-loss.js';
import { MAE } from './mae.js';
import { MacroF1 } from './macro-f1.js';
import { formatPython, probabilityOfTrue, pythonEquals, pythonTruthy } from './metric.js';
import { Precision } from './precision.js';
import { R2 } from './r2.js';
import { ROCAUC } from './roc-auc.js';

describe('Python semantics the metrics rely on', () => {
  it('compares labels as Python’s == does: True == 1, False == 0, nothing else across types', () => {
    expect(pythonEquals(true, 1)).toBe(true);
    expect(pythonEquals(false, 0)).toBe(true);
    expect(pythonEquals(true, 'True')).toBe(false);
    expect(pythonEquals('1', 1)).toBe(false);
    expect(pythonEquals(new Map(), true)).toBe(false);
  });

  it('reads truthiness as Python’s if does', () => {
    expect([true, false, 1, 0, -2, 'a', ''].map((v) => pythonTruthy(v as ClassLabel))).toEqual([true, false, true, false, true, true, false]);
  });

  it('reads p(true) from a map under true or, as Python would, under 1', () => {
    expect(probabilityOfTrue(new Map<ClassLabel, number>([[false, 0.3], [true, 0.7]]))).toBe(0.7);
    expect(probabilityOfTrue(new Map<ClassLabel, number>([[0, 0.3], [1, 0.7]]))).toBe(0.7);
    expect(probabilityOfTrue(new Map<ClassLabel, number>([['no', 1]]))).toBe(0);
    expect(probabilityOfTrue(0.25)).toBe(0.25);
  });

  it('formats as Python: .2% and ,.6f round half to even on the exact binary value; trailing zeros go', () => {
    expect(formatPython(0.8797127468581687, '.2%')).toBe('87.97%');
    expect(formatPython(-12345.6789, ',.6f')).toBe('-12,345.678900');
    expect(formatPython(0.125, '')).toBe('0.125');
    expect(formatPython(1e-5, '')).toBe('1e-05');
    const r2 = new R2();
    r2.update(1, 1000);
    r2.update(2, -1000);
    expect(r2.toString()).toBe('R2: -4,004,009.'); // Python: f'{-4004009.0:,.6f}'.rstrip('0')
  });
});

describe('metric behaviours beyond the doctests', () => {
  it('scores integer labels against boolean predictions as River does (1 == True)', () => {
    const accuracy = new Accuracy();
    accuracy.update(1, true);
    accuracy.update(0, true);
    expect(accuracy.get()).toBe(0.5);
    const roc = new ROCAUC();
    roc.update(1, 0.9);
    roc.update(0, 0.1);
    expect(roc.get()).toBe(1);
  });

  it('reads 0 for ROCAUC before any update, not River’s -0', () => {
    expect(Object.is(new ROCAUC().get(), 0)).toBe(true);
  });

  it('clamps LogLoss probabilities to [1e-15, 1 - 1e-15] and reads the truth by truthiness', () => {
    const m = new LogLoss();
    m.update(true, new Map<ClassLabel, number>([[true, 0]]));
    expect(m.get()).toBe(-Math.log(1e-15));
    const n = new LogLoss();
    n.update(0, 1);
    expect(n.get()).toBe(-Math.log(1 - (1 - 1e-15)));
    const k = new LogLoss();
    k.update(1, new Map<ClassLabel, number>([[0, 0.2], [1, 0.8]]));
    expect(k.get()).toBe(-Math.log(0.8));
  });

  it('treats posVal as the positive class of Precision and F1', () => {
    const m = new Precision({ posVal: 'spam' });
    m.update('spam', 'spam');
    m.update('ham', 'spam');
    m.update('ham', 'ham');
    expect(m.get()).toBe(0.5);
    const f1 = new F1({ posVal: 'spam' });
    f1.update('spam', 'ham');
    expect(f1.get()).toBe(0);
    expect(f1.name).toBe("F1(posVal='spam')");
  });

  it('averages MacroF1 over classes seen only as predictions too', () => {
    const m = new MacroF1();
    m.update('a', 'b');
    expect(m.get()).toBe(0);
    m.update('a', 'a');
    // a: p = 1, r = 0.5, F1 = 2/3; b: 0.
    expect(m.get()).toBe(((2 * 1 * 0.5) / (1 + 0.5)) / 2);
  });

  it('refuses non-numeric regression values and probabilities fed to label metrics that hash them', () => {
    expect(() => new MAE().update('a', 1)).toThrow(TypeError);
    expect(() => new MacroF1().update('a', new Map())).toThrow(TypeError);
  });

  it('weights pairs, and R2 starts afresh once every pair was reverted', () => {
    const m = new MAE();
    m.update(0, 1, 3);
    m.update(0, 5, 1);
    expect(m.get()).toBe(2);
    const r2 = new R2();
    r2.update(1, 2);
    r2.revert(1, 2);
    expect(r2.getState()).toEqual(new R2().getState());
  });
});
