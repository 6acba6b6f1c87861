import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../base/canonical-json.js';
import type { FeatureValue, Json } from '../base/types.js';
import { Pipeline } from '../compose/pipeline.js';
import { LogisticRegression } from '../linear/logistic-regression.js';
import { buildModel, normalizedSpec } from '../spec/model-spec.js';
import { OneHotEncoder, type OneHotEncoderOptions } from './one-hot-encoder.js';
import { StandardScaler } from './standard-scaler.js';

const state = (s: OneHotEncoder) => canonicalJson(s.getState());

// River's docstring data: random.seed(42), two random.choice(ascii_lowercase) per row.
const X = [
  { c1: 'u', c2: 'd' },
  { c1: 'a', c2: 'x' },
  { c1: 'i', c2: 'h' },
  { c1: 'h', c2: 'e' },
];

/** learn_one then transform_one on each row, keys sorted as River's pprint prints them. */
type Rows = ReadonlyArray<Record<string, string>>;

function encode(options: OneHotEncoderOptions, rows: Rows = X): Array<Record<string, FeatureValue>> {
  const oh = new OneHotEncoder(options);
  return rows.map((x) => {
    oh.learnOne(x);
    const out = oh.transformOne(x);
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
  });
}

describe('OneHotEncoder', () => {
  it('encodes River’s docstring rows with a 0 for every other known category', () => {
    expect(encode({}, X.slice(0, 2))).toEqual([
      { c1_u: 1, c2_d: 1 },
      { c1_a: 1, c1_u: 0, c2_d: 0, c2_x: 1 },
    ]);
  });

  it('emits only the 1s with dropZeros, and drops the smallest name too with dropFirst', () => {
    expect(encode({ dropZeros: true })).toEqual([
      { c1_u: 1, c2_d: 1 },
      { c1_a: 1, c2_x: 1 },
      { c1_i: 1, c2_h: 1 },
      { c1_h: 1, c2_e: 1 },
    ]);
    expect(encode({ dropFirst: true, dropZeros: true })).toEqual([{ c2_d: 1 }, { c2_x: 1 }, { c2_h: 1 }, { c2_e: 1 }]);
  });

  it('encodes only fixed categories and learns nothing (River 0.24’s docstring)', () => {
    const categories = { c1: ['a', 'h'], c2: ['x', 'e'] };
    expect(encode({ categories })).toEqual([
      { c1_a: 0, c1_h: 0, c2_e: 0, c2_x: 0 },
      { c1_a: 1, c1_h: 0, c2_e: 0, c2_x: 1 },
      { c1_a: 0, c1_h: 0, c2_e: 0, c2_x: 0 },
      { c1_a: 0, c1_h: 1, c2_e: 1, c2_x: 0 },
    ]);
    expect(new OneHotEncoder({ categories }).getState()).toEqual({ values: [] });
  });

  it('lists the encoded block in first-learnt order, after the numeric features it passes through', () => {
    const oh = new OneHotEncoder();
    oh.learnOne({ c1: 'u', c2: 'd' });
    oh.learnOne({ c1: 'a', n: 2.5, c2: 'x' });
    expect(Object.entries(oh.transformOne({ c1: 'a', n: 2.5, c2: 'x' }))).toEqual([
      ['n', 2.5],
      ['c1_u', 0],
      ['c2_d', 0],
      ['c1_a', 1],
      ['c2_x', 1],
    ]);
    expect(oh.getState()).toEqual({ values: [['c1', 'u'], ['c2', 'd'], ['c1', 'a'], ['c2', 'x']] });
  });

  it('drops the smallest name by Python’s code-point order with dropFirst', () => {
    // UTF-16 puts the astral U+1F600 (surrogate 0xD83D) before U+FF5A; Python does not.
    expect(encode({ dropFirst: true, dropZeros: true }, [{ f: '\uff5a', g: '\u{1f600}' }])).toEqual([{ 'g_\u{1f600}': 1 }]);
  });

  it('never learns when transforming: an unknown category contributes nothing', () => {
    for (const options of [{}, { dropZeros: true }, { dropFirst: true }]) {
      const oh = new OneHotEncoder(options);
      oh.learnOne({ c: 'a', d: 'b' });
      const before = state(oh);
      const size = oh['vocabulary'].size;
      const out = oh.transformOne({ c: 'zzz', d: 'b', e: 'new' });
      expect(Object.keys(out).every((k) => k === 'c_a' || k === 'd_b')).toBe(true);
      expect(state(oh)).toBe(before);
      expect(oh['vocabulary'].size).toBe(size);
    }
  });

  it('lets features appear and disappear', () => {
    const oh = new OneHotEncoder();
    oh.learnOne({ a: 'x' });
    oh.learnOne({ b: 'y', n: 1 });
    expect(oh.transformOne({ b: 'y' })).toEqual({ a_x: 0, b_y: 1 });
    expect(oh.transformOne({})).toEqual({ a_x: 0, b_y: 0 });
  });

  it('restored mid-stream, continues exactly as if it had never stopped', () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({ a: `v${(i * 7) % 13}`, n: i, b: `w${(i * 3) % 5}` }));
    for (const options of [{}, { dropZeros: true, dropFirst: true }]) {
      const a = new OneHotEncoder(options);
      rows.slice(0, 80).forEach((x) => a.learnOne(x));
      const b = new OneHotEncoder(options);
      b.setState(JSON.parse(state(a)) as Json);
      expect(state(b)).toBe(state(a));
      for (const x of rows.slice(80)) {
        a.learnOne(x);
        b.learnOne(x);
        expect(Object.entries(b.transformOne(x))).toEqual(Object.entries(a.transformOne(x)));
      }
      expect(state(b)).toBe(state(a));
    }
  });

  it('feeds a scaler and a linear model on mixed data inside a pipeline', () => {
    const model = new Pipeline([new OneHotEncoder(), new StandardScaler(), new LogisticRegression()]);
    for (let i = 0; i < 400; i++) {
      const colour = ['red', 'green', 'blue'][i % 3];
      model.learnOne({ colour, size: (i % 7) / 7 }, colour === 'red');
    }
    expect(model.predictProbaOne({ colour: 'red', size: 0.5 }).get(true)).toBeGreaterThan(0.8);
    expect(model.predictProbaOne({ colour: 'blue', size: 0.5 }).get(true)).toBeLessThan(0.2);
  });

  it('encodes fixed categories inside a pipeline, whose vocabulary it joins', () => {
    const oh = new OneHotEncoder({ categories: { colour: ['red'] } });
    const model = new Pipeline([oh, new LogisticRegression()]);
    model.learnOne({ colour: 'red' }, true);
    expect((model.final.getState() as { weights: Record<string, number> }).weights).toHaveProperty('colour_red');
  });

  it('clones fresh and untrained, and is built from its spec with every default filled in', () => {
    const oh = new OneHotEncoder({ dropZeros: true });
    oh.learnOne({ a: 'x' });
    expect(state(oh.clone())).toBe(state(new OneHotEncoder()));
    expect(oh.clone().params.dropZeros).toBe(true);
    const model = buildModel({ steps: [{ type: 'OneHotEncoder', categories: { b: ['y', 'x'], a: ['z'] } }, { type: 'GaussianNB' }] });
    expect(normalizedSpec(model)).toEqual({
      steps: [
        { type: 'OneHotEncoder', categories: { a: ['z'], b: ['y', 'x'] }, dropZeros: false, dropFirst: false },
        { type: 'GaussianNB' },
      ],
    });
    expect(() => buildModel({ steps: [{ type: 'OneHotEncoder', dropZeros: 1 }, { type: 'GaussianNB' }] })).toThrow(
      /steps\[0\]\.dropZeros must be a boolean/,
    );
  });
});
