import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../base/canonical-json.js';
import { ConfusionMatrix } from './confusion-matrix.js';

describe('ConfusionMatrix', () => {
  it('treats true and 1 (and false and 0) as one class, as Python dict keys do, keeping the first spelling', () => {
    const cm = new ConfusionMatrix();
    cm.update(true, 1);
    cm.update(1, true);
    cm.update(0, false);
    expect(cm.cell(true, true)).toBe(2);
    expect(cm.cell(1, 1)).toBe(2);
    expect(cm.classes).toEqual([true, 0]);
    expect(cm.sumRow('1')).toBe(0);
  });

  it('lists classes in first-seen order, only while their row or column is non-zero', () => {
    const cm = new ConfusionMatrix();
    cm.update('b', 'a');
    cm.update('c', 'c');
    expect(cm.classes).toEqual(['b', 'a', 'c']);
    cm.revert('b', 'a');
    expect(cm.classes).toEqual(['c']);
    cm.update('a', 'a');
    expect(cm.classes).toEqual(['c', 'a']);
  });

  it('keeps a label whose row sum is left with a rounding residue, as River’s classes does', () => {
    const cm = new ConfusionMatrix();
    cm.update('x', 'y', 0.1);
    cm.update('x', 'z', 0.2);
    cm.revert('x', 'y', 0.1);
    cm.revert('x', 'z', 0.2);
    expect(cm.sumRow('x')).not.toBe(0);
    expect(cm.classes).toContain('x');
  });

  it('is back to the same state bytes after update then revert of a new pair', () => {
    const cm = new ConfusionMatrix();
    cm.update('a', 'b', 2);
    const before = canonicalJson(cm.getState());
    cm.update(3, false);
    cm.revert(3, false);
    expect(canonicalJson(cm.getState())).toBe(before);
  });

  it('stores cells as [yTrue, yPred, weight] in insertion order with labels in their JSON types', () => {
    const cm = new ConfusionMatrix();
    cm.update(false, 'no');
    cm.update(2, 2, 0.5);
    expect(cm.getState()).toEqual({
      cells: [
        [false, 'no', 1],
        [2, 2, 0.5],
      ],
      labels: [false, 'no', 2],
      nSamples: 2,
      sumCol: [
        ['no', 1],
        [2, 0.5],
      ],
      sumRow: [
        [false, 1],
        [2, 0.5],
      ],
      totalWeight: 1.5,
    });
    const copy = new ConfusionMatrix();
    copy.setState(JSON.parse(JSON.stringify(cm.getState())));
    expect(canonicalJson(copy.getState())).toBe(canonicalJson(cm.getState()));
    expect(copy.classes).toEqual(cm.classes);
  });

  it('counts false positives and negatives from the running sums', () => {
    const cm = new ConfusionMatrix();
    for (const [t, p] of [
      [true, true],
      [false, true],
      [true, false],
      [true, true],
    ] as const) {
      cm.update(t, p);
    }
    expect(cm.truePositives(true)).toBe(2);
    expect(cm.falsePositives(true)).toBe(1);
    expect(cm.falseNegatives(true)).toBe(1);
  });
});
