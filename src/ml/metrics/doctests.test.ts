import { describe, expect, it } from 'vitest';
import type { ClassLabel } from '../base/types.js';
import { Accuracy } from './accuracy.js';
import { ConfusionMatrix } from './confusion-matrix.js';
import { F1 } from './f1.js';
import { FBeta } from './fbeta.js';
import { LogLoss } from './log-loss.js';
import { MacroF1 } from './macro-f1.js';
import { MacroFBeta } from './macro-fbeta.js';
import { MAE } from './mae.js';
import type { Metric, MetricPrediction } from './metric.js';
import { MSE } from './mse.js';
import { Precision } from './precision.js';
import { R2 } from './r2.js';
import { Recall } from './recall.js';
import { RMSE } from './rmse.js';
import { ROCAUC } from './roc-auc.js';

/** Feeds the pairs and returns what `f` reads after each one. */
function trace<T>(m: Metric, yTrue: ClassLabel[], yPred: MetricPrediction[], f: (m: Metric) => T): T[] {
  return yTrue.map((y, i) => {
    m.update(y, yPred[i]);
    return f(m);
  });
}
const printed = (m: Metric) => m.toString();
const value = (m: Metric) => m.get();

/** pytest's doctest NUMBER flag: a float written with k decimals matches within 10^-k. */
function matchesDecimals(actual: number, expected: string): void {
  const decimals = expected.split('.')[1]?.length ?? 0;
  expect(Math.abs(actual - Number(expected))).toBeLessThan(10 ** -decimals);
}

const binaryTrue = [true, false, true, true, true];
const binaryPred = [true, true, false, true, true];
const fTrue = [false, false, false, true, true, true];
const fPred = [false, false, true, true, false, false];
const multiTrue = [0, 1, 2, 2, 2];
const multiPred = [0, 0, 2, 2, 1];
const regTrue = [3, -0.5, 2, 7];
const regPred = [2.5, 0.0, 2, 8];

describe('River 0.22 metric doctests', () => {
  it('Accuracy prints 60.00% on river/metrics/accuracy.py’s pairs', () => {
    const m = new Accuracy();
    trace(m, binaryTrue, binaryPred, value);
    expect(m.toString()).toBe('Accuracy: 60.00%');
  });

  it('ROCAUC prints 87.50% with 10 thresholds and 75.00% with 20 on integer labels 0/1', () => {
    const yTrue = [0, 0, 1, 1];
    const yPred = [0.1, 0.4, 0.35, 0.8];
    const m = new ROCAUC();
    trace(m, yTrue, yPred, value);
    expect(m.toString()).toBe('ROCAUC: 87.50%');
    const m20 = new ROCAUC({ nThresholds: 20 });
    trace(m20, yTrue, yPred, value);
    expect(m20.toString()).toBe('ROCAUC: 75.00%');
  });

  it('LogLoss reads 0.105360, 0.105360, 0.144621, 0.216161 and prints its full float', () => {
    const m = new LogLoss();
    const values = trace(m, [true, false, false, true], [0.9, 0.1, 0.2, 0.65], value);
    ['0.105360', '0.105360', '0.144621', '0.216161'].forEach((e, i) => matchesDecimals(values[i], e));
    // Full precision from River's formulas under CPython: 0.21616187468057912.
    expect(Math.abs(m.get() - 0.21616187468057912)).toBeLessThanOrEqual(1e-12 * 0.21616187468057912);
    expect(m.toString()).toMatch(/^LogLoss: 0\.21616187468057\d*$/);
    matchesDecimals(Number(m.toString().slice('LogLoss: '.length)), '0.216162');
  });

  it('Precision prints 100.00%, 50.00%, 50.00%, 66.67%, 75.00%', () => {
    expect(trace(new Precision(), binaryTrue, binaryPred, printed)).toEqual([
      'Precision: 100.00%',
      'Precision: 50.00%',
      'Precision: 50.00%',
      'Precision: 66.67%',
      'Precision: 75.00%',
    ]);
  });

  it('Recall prints 100.00%, 100.00%, 50.00%, 66.67%, 75.00%', () => {
    expect(trace(new Recall(), binaryTrue, binaryPred, printed)).toEqual([
      'Recall: 100.00%',
      'Recall: 100.00%',
      'Recall: 50.00%',
      'Recall: 66.67%',
      'Recall: 75.00%',
    ]);
  });

  it('FBeta(beta=2) prints 35.71% and F1 prints 40.00%', () => {
    const fbeta = new FBeta({ beta: 2 });
    trace(fbeta, fTrue, fPred, value);
    expect(fbeta.toString()).toBe('FBeta: 35.71%');
    const f1 = new F1();
    trace(f1, fTrue, fPred, value);
    expect(f1.toString()).toBe('F1: 40.00%');
    expect(f1.get()).toBe(0.4);
  });

  it('MacroF1 prints 100.00%, 33.33%, 55.56%, 55.56%, 48.89%', () => {
    expect(trace(new MacroF1(), multiTrue, multiPred, printed)).toEqual([
      'MacroF1: 100.00%',
      'MacroF1: 33.33%',
      'MacroF1: 55.56%',
      'MacroF1: 55.56%',
      'MacroF1: 48.89%',
    ]);
  });

  it('MacroFBeta(beta=0.8) prints 100.00%, 31.06%, 54.04%, 54.04%, 48.60%', () => {
    expect(trace(new MacroFBeta({ beta: 0.8 }), multiTrue, multiPred, printed)).toEqual([
      'MacroFBeta: 100.00%',
      'MacroFBeta: 31.06%',
      'MacroFBeta: 54.04%',
      'MacroFBeta: 54.04%',
      'MacroFBeta: 48.60%',
    ]);
  });

  it('MAE reads 0.5, 0.5, 0.333, 0.5 and prints MAE: 0.5', () => {
    const m = new MAE();
    const values = trace(m, regTrue, regPred, value);
    ['0.5', '0.5', '0.333', '0.5'].forEach((e, i) => matchesDecimals(values[i], e));
    expect(values[2]).toBe(0.33333333333333337);
    expect(m.toString()).toBe('MAE: 0.5');
  });

  it('MSE reads 0.25, 0.25, 0.1666, 0.375', () => {
    const values = trace(new MSE(), regTrue, regPred, value);
    ['0.25', '0.25', '0.1666', '0.375'].forEach((e, i) => matchesDecimals(values[i], e));
    expect(values[2]).toBe(0.16666666666666669);
  });

  it('RMSE reads 0.5, 0.5, 0.408248, 0.612372 and prints RMSE: 0.612372', () => {
    const m = new RMSE();
    const values = trace(m, regTrue, regPred, value);
    ['0.5', '0.5', '0.408248', '0.612372'].forEach((e, i) => matchesDecimals(values[i], e));
    expect(m.toString()).toBe('RMSE: 0.612372');
  });

  it('R2 reads 0.0, 0.9183, 0.9230, 0.9486', () => {
    const values = trace(new R2(), regTrue, regPred, value);
    ['0.0', '0.9183', '0.9230', '0.9486'].forEach((e, i) => matchesDecimals(values[i], e));
    // CPython with River's formulas gives these bits.
    expect(values).toEqual([0, 0.9183673469387755, 0.9230769230769231, 0.9486081370449679]);
  });

  it('ConfusionMatrix counts bird→cat once on river/metrics/confusion.py’s pairs', () => {
    const cm = new ConfusionMatrix();
    const yTrue = ['cat', 'ant', 'cat', 'cat', 'ant', 'bird'];
    const yPred = ['ant', 'ant', 'cat', 'cat', 'ant', 'cat'];
    yTrue.forEach((y, i) => cm.update(y, yPred[i]));
    expect(cm.cell('bird', 'cat')).toBe(1);
    expect(cm.cell('ant', 'ant')).toBe(2);
    expect(cm.cell('cat', 'ant')).toBe(1);
    expect(cm.classes).toEqual(['cat', 'ant', 'bird']);
  });
});
