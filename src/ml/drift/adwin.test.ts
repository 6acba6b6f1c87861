import { describe, expect, it } from 'vitest';
import { PythonRandom } from '../../../test/support/python-random.js';
import { canonicalJson } from '../base/canonical-json.js';
import type { Json } from '../base/types.js';
import { ADWIN } from './adwin.js';

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

/** River's docstring stream: random.Random(seed), 1000 of [0, 1] then 1000 of range(4, 8), repeated. */
function stream(seed: number, segments: number): number[] {
  const rng = new PythonRandom(seed);
  const out: number[] = [];
  for (let s = 0; s < segments; s++) out.push(...rng.choices(s % 2 === 0 ? [0, 1] : range(4, 8), 1000));
  return out;
}

function detections(adwin: ADWIN, data: readonly number[]): Array<[number, number]> {
  const hits: Array<[number, number]> = [];
  data.forEach((x, i) => {
    adwin.update(x);
    if (adwin.driftDetected) hits.push([i, x]);
  });
  return hits;
}

const state = (a: ADWIN) => canonicalJson(a.getState());

describe('ADWIN', () => {
  it('detects the change of River’s docstring at index 1023, input value 4', () => {
    expect(detections(new ADWIN(), stream(12345, 2))).toEqual([[1023, 4]]);
  });

  it('detects River’s regression-test drifts at 1023, 2015 and 3007 (every bucket is a cut point)', () => {
    // River's test_adwin_regression.py (0.24) records these for random.Random(42); River before
    // 0.22 skipped each row's newest bucket and found 1023, 2047, 3039.
    expect(detections(new ADWIN(), stream(42, 4)).map(([i]) => i)).toEqual([1023, 2015, 3007]);
  });

  it('holds the window our Python transcription of River 0.22 holds', () => {
    const adwin = new ADWIN();
    detections(adwin, stream(12345, 2));
    expect(adwin.width).toBe(976);
    expect(adwin.total).toBe(5336);
    expect(Math.abs(adwin.variance - 1202.9508196721304)).toBeLessThan(1e-9);
    const drifting = new ADWIN();
    const rng = new PythonRandom(7);
    const data = range(0, 3000).map((i) => rng.random() + (i >= 1500 ? 0.3 : 0));
    expect(detections(drifting, data).map(([i]) => i)).toEqual([1567]);
    expect(drifting.width).toBe(1432);
    expect(Math.abs(drifting.total - 1131.3732221772661)).toBeLessThan(1e-9);
    expect(Math.abs(drifting.variance - 121.23742722167866)).toBeLessThan(1e-9);
    expect(Math.abs(drifting.estimation - 0.7900650992858004)).toBeLessThan(1e-12);
  });

  it('keeps width, total, estimation and the sum of squared deviations of a short window', () => {
    const adwin = new ADWIN();
    expect(adwin.estimation).toBe(0);
    [1, 2, 3, 4, 5].forEach((x) => adwin.update(x));
    expect([adwin.width, adwin.total, adwin.estimation, adwin.variance]).toEqual([5, 15, 3, 10]);
  });

  it('starts from an empty window on the update after a detection, as River resets', () => {
    const adwin = new ADWIN({ clock: 1 });
    for (let i = 0; i < 500; i++) adwin.update(0);
    let i = 0;
    while (!adwin.driftDetected) {
      adwin.update(100);
      i++;
    }
    expect(i).toBeLessThan(50);
    expect(adwin.nDetections).toBe(1);
    adwin.update(50);
    expect([adwin.width, adwin.total, adwin.nDetections, adwin.driftDetected]).toEqual([1, 50, 0, false]);
  });

  it('restored mid-stream (also right after a detection), continues exactly as if it had never stopped', () => {
    const data = stream(42, 4);
    for (const cut of [700, 1024, 2016]) {
      const a = new ADWIN();
      data.slice(0, cut).forEach((x) => a.update(x));
      const b = new ADWIN();
      b.setState(JSON.parse(state(a)) as Json);
      expect(state(b)).toBe(state(a));
      for (const x of data.slice(cut)) {
        a.update(x);
        b.update(x);
        expect(b.driftDetected).toBe(a.driftDetected);
      }
      expect(state(b)).toBe(state(a));
    }
  });

  it('reading its statistics changes nothing', () => {
    const adwin = new ADWIN();
    stream(1, 1).forEach((x) => adwin.update(x));
    const before = state(adwin);
    void [adwin.width, adwin.total, adwin.variance, adwin.estimation, adwin.nDetections, adwin.toSpec()];
    expect(state(adwin)).toBe(before);
  });

  it('has River’s defaults, rejects bad parameters and clones fresh', () => {
    expect(new ADWIN().toSpec()).toEqual({
      type: 'ADWIN',
      delta: 0.002,
      clock: 32,
      maxBuckets: 5,
      minWindowLength: 5,
      gracePeriod: 10,
    });
    expect(() => new ADWIN({ delta: 0 })).toThrow(/delta must be > 0 and < 1/);
    expect(() => new ADWIN({ clock: 0 })).toThrow(/clock must be an integer >= 1/);
    expect(() => new ADWIN({ maxBuckets: 2.5 })).toThrow(/maxBuckets must be an integer >= 1/);
    expect(() => new ADWIN({ gracePeriod: -1 })).toThrow(/gracePeriod must be an integer >= 0/);
    const adwin = new ADWIN({ delta: 0.01 });
    adwin.update(3);
    expect(state(adwin.clone())).toBe(state(new ADWIN({ delta: 0.01 })));
    expect(adwin.clone().params.delta).toBe(0.01);
  });
});
