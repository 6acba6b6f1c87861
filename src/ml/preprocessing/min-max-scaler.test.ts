import { describe, expect, it } from 'vitest';
import { phishing } from '../../../test/support/datasets.js';
import { canonicalJson } from '../base/canonical-json.js';
import type { Json } from '../base/types.js';
import { buildModel, normalizedSpec } from '../spec/model-spec.js';
import { MinMaxScaler } from './min-max-scaler.js';

const state = (s: MinMaxScaler) => canonicalJson(s.getState());

describe('MinMaxScaler', () => {
  it('learns then transforms River’s docstring stream to 0, 0, 0.406920…, 0.322582…, 1', () => {
    // Python's random.seed(42); five random.uniform(8, 12) draws.
    const xs = [10.557707193831535, 8.100043020890668, 9.100117273476478, 8.892842952595291, 10.94588485665605];
    const scaler = new MinMaxScaler();
    const out = xs.map((x) => {
      scaler.learnOne({ x });
      return scaler.transformOne({ x }).x;
    });
    expect(out).toEqual([0, 0, 0.4069206295948525, 0.32258269475277845, 1]);
    expect(scaler.getState()).toEqual({ min: { x: 8.100043020890668 }, max: { x: 10.94588485665605 } });
  });

  it('stores only learnt features, so its state is JSON-safe from the start', () => {
    const scaler = new MinMaxScaler();
    expect(state(scaler)).toBe('{"max":{},"min":{}}');
    scaler.learnOne({ a: 1, b: 'red' });
    expect(state(scaler)).toBe('{"max":{"a":1},"min":{"a":1}}');
  });

  it('scales an unlearnt numeric feature to 0 and passes categories through, changing nothing', () => {
    const scaler = new MinMaxScaler();
    scaler.learnOne({ a: 1, z: 'x' });
    scaler.learnOne({ a: 3 });
    const before = state(scaler);
    expect(scaler.transformOne({ a: 2, z: 5, colour: 'red', b: 7 })).toEqual({ a: 0.5, z: 0 });
    expect(scaler.transformOne({ z: 'y', a: 4 })).toEqual({ z: 'y', a: 1.5 });
    expect(state(scaler)).toBe(before);
    expect(scaler['vocabulary'].size).toBe(2);
  });

  it('lets features appear and disappear', () => {
    const scaler = new MinMaxScaler();
    scaler.learnOne({ a: 1 });
    scaler.learnOne({ b: 5, a: 3 });
    scaler.learnOne({ b: 7 });
    expect(scaler.transformOne({ b: 6, a: 2 })).toEqual({ b: 0.5, a: 0.5 });
  });

  it('restored mid-stream, continues exactly as if it had never stopped', () => {
    const data = phishing();
    const a = new MinMaxScaler();
    data.slice(0, 300).forEach(([x]) => a.learnOne(x));
    const b = new MinMaxScaler();
    b.setState(JSON.parse(state(a)) as Json);
    expect(state(b)).toBe(state(a));
    for (const [x] of data.slice(300)) {
      a.learnOne(x);
      b.learnOne(x);
      expect(Object.entries(b.transformOne(x))).toEqual(Object.entries(a.transformOne(x)));
    }
    expect(state(b)).toBe(state(a));
  });

  it('clones fresh and untrained, and is built from its spec', () => {
    const scaler = new MinMaxScaler();
    scaler.learnOne({ a: 1 });
    expect(state(scaler.clone())).toBe(state(new MinMaxScaler()));
    const model = buildModel({ steps: [{ type: 'MinMaxScaler' }, { type: 'GaussianNB' }] });
    expect(normalizedSpec(model)).toEqual({ steps: [{ type: 'MinMaxScaler' }, { type: 'GaussianNB' }] });
    expect(() => buildModel({ steps: [{ type: 'MinMaxScaler', featureRange: [0, 1] }, { type: 'GaussianNB' }] })).toThrow(
      /featureRange is not a parameter of MinMaxScaler/,
    );
  });
});
