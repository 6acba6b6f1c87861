import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { argmax } from '../../src/ml/base/classifier.js';
import { Pipeline } from '../../src/ml/compose/pipeline.js';
import { LogisticRegression } from '../../src/ml/linear/logistic-regression.js';
import { Accuracy } from '../../src/ml/metrics/accuracy.js';
import { ROCAUC } from '../../src/ml/metrics/roc-auc.js';
import { StandardScaler } from '../../src/ml/preprocessing/standard-scaler.js';
import { phishing } from '../support/datasets.js';

interface TraceSnapshot {
  weights: Record<string, number>;
  intercept: number;
  scaler_means: Record<string, number>;
  scaler_vars: Record<string, number>;
}
const trace = JSON.parse(readFileSync(new URL('../fixtures/phishing-logreg-trace.json', import.meta.url), 'utf8'))
  .traces['0.22.0'] as {
  first30: Array<{ i: number; p_true: number }>;
  snapshots: Record<string, TraceSnapshot>;
  final_metrics: Record<string, number>;
};

function closeTo(actual: number, expected: number, relative = 1e-12): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));
}

describe('StandardScaler | LogisticRegression on Phishing matches River 0.22 sample by sample', () => {
  const scaler = new StandardScaler();
  const lr = new LogisticRegression();
  const model = new Pipeline([scaler, lr]);
  const roc = new ROCAUC();
  const accuracy = new Accuracy();
  const probabilities: number[] = [];
  const states = new Map<number, { lr: Record<string, unknown>; scaler: Record<string, unknown> }>();
  phishing().forEach(([x, y], i) => {
    const proba = model.predictProbaOne(x);
    probabilities.push(proba.get(true) ?? Number.NaN);
    roc.update(y, proba);
    accuracy.update(y, argmax(proba) as boolean);
    model.learnOne(x, y);
    if (String(i + 1) in trace.snapshots) {
      states.set(i + 1, {
        lr: lr.getState() as Record<string, unknown>,
        scaler: scaler.getState() as Record<string, unknown>,
      });
    }
  });

  it('predicts the first 30 probabilities River predicted', () => {
    trace.first30.forEach(({ i, p_true }) => closeTo(probabilities[i - 1], p_true, 1e-15));
  });

  it('holds River’s weights, intercept and scaler statistics after samples 1, 2, 3, 10, 100, 1250', () => {
    for (const [n, expected] of Object.entries(trace.snapshots)) {
      const state = states.get(Number(n));
      expect(state).toBeDefined();
      const weights = state!.lr.weights as Record<string, number>;
      for (const [name, w] of Object.entries(expected.weights)) closeTo(weights[name], w);
      closeTo(state!.lr.intercept as number, expected.intercept);
      const means = state!.scaler.means as Record<string, number>;
      const vars = state!.scaler.vars as Record<string, number>;
      for (const [name, m] of Object.entries(expected.scaler_means)) closeTo(means[name], m);
      for (const [name, v] of Object.entries(expected.scaler_vars)) closeTo(vars[name], v);
    }
  });

  it('scores ROCAUC and Accuracy exactly as River', () => {
    expect(roc.get()).toBe(trace.final_metrics.ROCAUC);
    expect(accuracy.get()).toBe(trace.final_metrics.Accuracy);
    expect(roc.toString()).toBe('ROCAUC: 95.07%');
    expect(accuracy.toString()).toBe('Accuracy: 89.28%');
  });
});
