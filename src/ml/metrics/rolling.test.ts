import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../base/canonical-json.js';
import type { ClassLabel } from '../base/types.js';
import { MAE } from './mae.js';
import { MSE } from './mse.js';
import { ROCAUC } from './roc-auc.js';
import { Rolling } from './rolling.js';

describe('Rolling', () => {
  it('prints MSE: 0.25, 0.25, 0.125, 0.5 over a window of 2 (River’s metrics.Rolling doctest)', () => {
    const m = new Rolling({ metric: new MSE(), windowSize: 2 });
    const printed = [3, -0.5, 2, 7].map((y, i) => {
      m.update(y, [2.5, 0.0, 2, 8][i]);
      return m.toString();
    });
    expect(printed).toEqual(['MSE: 0.25', 'MSE: 0.25', 'MSE: 0.125', 'MSE: 0.5']);
    expect(m.name).toBe('Rolling(MSE, 2)');
  });

  it('reverts ROCAUC pairs by negative weights, so a rolling ROCAUC forgets old pairs', () => {
    const m = new Rolling({ metric: new ROCAUC(), windowSize: 2 });
    const p = (x: number) => new Map<ClassLabel, number>([[false, 1 - x], [true, x]]);
    m.update(true, p(0.1));
    m.update(false, p(0.9));
    m.update(true, p(0.8));
    m.update(false, p(0.2));
    const scratch = new ROCAUC();
    scratch.update(true, p(0.8));
    scratch.update(false, p(0.2));
    expect(m.get()).toBe(scratch.get());
    expect(m.get()).toBe(1);
  });

  it('snapshots the window with probabilities as [label, p] pairs and the inner state', () => {
    const m = new Rolling({ metric: new ROCAUC({ nThresholds: 3 }), windowSize: 2 });
    m.update(true, new Map<ClassLabel, number>([[false, 0.25], [true, 0.75]]));
    m.update(false, 0.5, 2);
    m.update(true, new Map<ClassLabel, number>([[true, 1]]));
    expect(m.getState()).toEqual({
      metric: m.metric.getState(),
      window: [
        [false, 0.5, 2],
        [true, [[true, 1]], 1],
      ],
    });
    const copy = m.clone();
    copy.setState(JSON.parse(JSON.stringify(m.getState())));
    expect(canonicalJson(copy.getState())).toBe(canonicalJson(m.getState()));
  });

  it('keeps its own copy of a probability map the caller reuses', () => {
    const m = new Rolling({ metric: new ROCAUC(), windowSize: 1 });
    const shared = new Map<ClassLabel, number>([[true, 0.9]]);
    m.update(true, shared);
    shared.set(true, 0.1);
    m.update(false, shared);
    const scratch = new ROCAUC();
    scratch.update(false, 0.1);
    expect(m.get()).toBe(scratch.get());
  });

  it('reverts the newest matching pair still in the window, and ignores pairs already gone', () => {
    const m = new Rolling({ metric: new MAE(), windowSize: 3 });
    m.update(1, 0);
    m.update(5, 0);
    m.update(1, 0);
    m.revert(1, 0);
    expect(m.size).toBe(2);
    expect(m.get()).toBe(3);
    m.revert(7, 7);
    expect(m.size).toBe(2);
    expect(m.get()).toBe(3);
  });

  it('rejects window sizes that are not integers >= 1', () => {
    for (const windowSize of [0, -1, 1.5, Number.NaN]) {
      expect(() => new Rolling({ metric: new MAE(), windowSize })).toThrow(/windowSize must be an integer >= 1/);
    }
  });

  it('stays bounded over long streams: the window never holds more than windowSize pairs', () => {
    const m = new Rolling({ metric: new MAE(), windowSize: 10 });
    for (let i = 0; i < 5000; i++) m.update(i % 7, 0);
    expect(m.size).toBe(10);
    expect((m.getState() as { window: unknown[] }).window).toHaveLength(10);
    const scratch = new MAE();
    for (let i = 4990; i < 5000; i++) scratch.update(i % 7, 0);
    expect(Math.abs(m.get() - scratch.get())).toBeLessThan(1e-9);
  });
});
