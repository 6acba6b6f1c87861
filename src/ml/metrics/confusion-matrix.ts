import { asArray, asNumber, asObject } from '../base/snapshot.js';
import type { ClassLabel, Json } from '../base/types.js';

/**
 * The dict key Python would give a label: `True`, `1` and `1.0` are one key, as are `False`
 * and `0`; strings are their own keys.
 */
function keyOf(label: ClassLabel): string {
  if (typeof label === 'string') return `s${label}`;
  return `n${Number(label)}`;
}

interface Entry {
  readonly label: ClassLabel;
  weight: number;
}

interface Cell {
  readonly yTrue: ClassLabel;
  readonly yPred: ClassLabel;
  weight: number;
}

/**
 * Weighted confusion matrix for binary and multiclass metrics, River's `metrics.ConfusionMatrix`:
 * rows are true labels, columns predictions. Row and column sums are running sums of their own,
 * as River keeps them, so `fp = sum_col - tp` rounds as River's does. `classes` lists the labels
 * with a non-zero row or column, as River's does, in first-seen order (River iterates a Python
 * set, whose order is not meaningful), so macro averages sum in a reproducible order. Labels
 * compare as Python dict keys do (`true` and `1` are one class). Port of river/metrics/confusion.py.
 *
 * @example
 * const cm = new metrics.ConfusionMatrix();
 * const yTrue = ['cat', 'ant', 'cat', 'cat', 'ant', 'bird'];
 * const yPred = ['ant', 'ant', 'cat', 'cat', 'ant', 'cat'];
 * yTrue.forEach((y, i) => cm.update(y, yPred[i]));
 * cm.cell('bird', 'cat'); // => 1 (River's docstring prints the whole matrix)
 * cm.cell('ant', 'ant'); // => 2
 * cm.classes; // => [ 'cat', 'ant', 'bird' ]
 */
export class ConfusionMatrix {
  readonly kind = 'ConfusionMatrix';
  /** Updates minus reverts, whatever their weights. */
  nSamples = 0;
  totalWeight = 0;
  private cells = new Map<string, Cell>();
  private rows = new Map<string, Entry>();
  private cols = new Map<string, Entry>();
  /** Labels held by a cell or a sum, in first-seen order, with how many cell sides and sums hold them. */
  private labels = new Map<string, Entry>();

  update(yTrue: ClassLabel, yPred: ClassLabel, w = 1): void {
    this.nSamples += 1;
    this.add(yTrue, yPred, w);
  }

  revert(yTrue: ClassLabel, yPred: ClassLabel, w = 1): void {
    this.nSamples -= 1;
    this.add(yTrue, yPred, -w);
  }

  private add(yTrue: ClassLabel, yPred: ClassLabel, w: number): void {
    const t = keyOf(yTrue);
    const p = keyOf(yPred);
    const key = `${t}\u0000${p}`;
    const cell = this.cells.get(key);
    if (cell === undefined) this.addCell(key, { yTrue, yPred, weight: w }, t, p);
    else {
      cell.weight += w;
      if (cell.weight === 0) this.dropCell(key, t, p);
    }
    this.totalWeight += w;
    this.bump(this.rows, t, yTrue, w);
    this.bump(this.cols, p, yPred, w);
  }

  private bump(sums: Map<string, Entry>, key: string, label: ClassLabel, w: number): void {
    const entry = sums.get(key);
    if (entry === undefined) {
      sums.set(key, { label, weight: w });
      this.refer(key, label, 1);
    } else if ((entry.weight += w) === 0) {
      sums.delete(key);
      this.refer(key, null, -1);
    }
  }

  private addCell(key: string, cell: Cell, t: string, p: string): void {
    this.cells.set(key, cell);
    this.refer(t, cell.yTrue, 1);
    this.refer(p, cell.yPred, 1);
  }

  /**
   * A cell or sum back at exactly zero is forgotten, and so is a label nothing holds any more:
   * adding to a zero and starting afresh give the same bits, and an update followed by its revert
   * then leaves the state as it was.
   */
  private dropCell(key: string, t: string, p: string): void {
    this.cells.delete(key);
    this.refer(t, null, -1);
    this.refer(p, null, -1);
  }

  private refer(key: string, label: ClassLabel | null, change: number): void {
    const entry = this.labels.get(key);
    if (entry === undefined) this.labels.set(key, { label: label as ClassLabel, weight: change });
    else if ((entry.weight += change) === 0) this.labels.delete(key);
  }

  /** The weight of pairs (yTrue, yPred). */
  cell(yTrue: ClassLabel, yPred: ClassLabel): number {
    return this.cells.get(`${keyOf(yTrue)}\u0000${keyOf(yPred)}`)?.weight ?? 0;
  }

  /** Total weight of pairs whose true label is `label` (its support). */
  sumRow(label: ClassLabel): number {
    return this.rows.get(keyOf(label))?.weight ?? 0;
  }

  /** Total weight of pairs predicted as `label`. */
  sumCol(label: ClassLabel): number {
    return this.cols.get(keyOf(label))?.weight ?? 0;
  }

  /** Labels with a non-zero row or column sum, in first-seen order. */
  get classes(): ClassLabel[] {
    const out: ClassLabel[] = [];
    for (const [key, { label }] of this.labels) {
      if ((this.rows.get(key)?.weight ?? 0) !== 0 || (this.cols.get(key)?.weight ?? 0) !== 0) out.push(label);
    }
    return out;
  }

  truePositives(label: ClassLabel): number {
    return this.cell(label, label);
  }

  falsePositives(label: ClassLabel): number {
    return this.sumCol(label) - this.cell(label, label);
  }

  falseNegatives(label: ClassLabel): number {
    return this.sumRow(label) - this.cell(label, label);
  }

  /**
   * Cells as `[yTrue, yPred, weight]` in insertion order, the labels in class order, and the
   * running row and column sums as `[label, weight]`; labels keep their JSON types.
   */
  getState(): Json {
    return {
      cells: [...this.cells.values()].map((c) => [c.yTrue, c.yPred, c.weight]),
      labels: [...this.labels.values()].map((e) => e.label),
      nSamples: this.nSamples,
      sumCol: [...this.cols.values()].map((e) => [e.label, e.weight]),
      sumRow: [...this.rows.values()].map((e) => [e.label, e.weight]),
      totalWeight: this.totalWeight,
    };
  }

  setState(state: Json): void {
    const s = asObject(state, 'ConfusionMatrix');
    this.nSamples = asNumber(s.nSamples, 'ConfusionMatrix.nSamples');
    this.totalWeight = asNumber(s.totalWeight, 'ConfusionMatrix.totalWeight');
    this.cells = new Map();
    this.labels = new Map();
    for (const label of asArray(s.labels, 'ConfusionMatrix.labels')) {
      const value = asLabel(label, 'ConfusionMatrix.labels');
      this.labels.set(keyOf(value), { label: value, weight: 0 });
    }
    for (const item of asArray(s.cells, 'ConfusionMatrix.cells')) {
      const [yTrue, yPred, weight] = asTuple(item, 3, 'ConfusionMatrix.cells');
      const cell = {
        yTrue: asLabel(yTrue, 'ConfusionMatrix.cells'),
        yPred: asLabel(yPred, 'ConfusionMatrix.cells'),
        weight: asNumber(weight, 'ConfusionMatrix.cells'),
      };
      const t = keyOf(cell.yTrue);
      const p = keyOf(cell.yPred);
      this.addCell(`${t}\u0000${p}`, cell, t, p);
    }
    this.rows = this.readSums(s.sumRow, 'ConfusionMatrix.sumRow');
    this.cols = this.readSums(s.sumCol, 'ConfusionMatrix.sumCol');
  }

  private readSums(value: Json | undefined, what: string): Map<string, Entry> {
    const sums = new Map<string, Entry>();
    for (const item of asArray(value, what)) {
      const [label, weight] = asTuple(item, 2, what);
      const entry = { label: asLabel(label, what), weight: asNumber(weight, what) };
      const key = keyOf(entry.label);
      sums.set(key, entry);
      this.refer(key, entry.label, 1);
    }
    return sums;
  }
}

/** A JSON array of exactly `length` items. */
export function asTuple(value: Json, length: number, what: string): Json[] {
  const items = asArray(value, what);
  if (items.length !== length) throw new TypeError(`${what}: expected entries of ${length} items`);
  return items;
}

/** A class label as JSON keeps it: boolean, number or string. */
export function asLabel(value: Json | undefined, what: string): ClassLabel {
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  throw new TypeError(`${what}: expected a label (boolean, number or string)`);
}
