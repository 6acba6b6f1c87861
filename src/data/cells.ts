import type { FeatureValue } from '../ml/base/types.js';

const ZERO = 48;
const NINE = 57;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;

/**
 * The number a CSV cell spells in decimal (`12`, `-0.5`, `.5`, `1e-3`), or undefined when it
 * spells anything else. Stricter than `Number()`, which also reads `0x1A`, `Infinity` and
 * whitespace as numbers; close to what River's `float(cell)` converters accept.
 */
export function parseNumber(cell: string): number | undefined {
  if (cell.length === 0) return undefined;
  const c = cell.charCodeAt(0);
  if (!((c >= ZERO && c <= NINE) || c === MINUS || c === PLUS || c === DOT)) return undefined;
  if (c === ZERO && cell.length > 1) {
    // 0x.., 0b.., 0o.. are numbers to Number() but not to Python's float().
    const second = cell.charCodeAt(1) | 0x20;
    if (second === 0x78 || second === 0x62 || second === 0x6f) return undefined;
  }
  const n = +cell;
  return n === n ? n : undefined;
}

/**
 * A feature cell as River's CSV loaders give it: numeric-looking cells are numbers, empty cells
 * are missing (undefined, so the feature is absent), anything else is a string (a category).
 */
export function parseCell(cell: string): FeatureValue | undefined {
  if (cell.length === 0) return undefined;
  const n = parseNumber(cell);
  return n === undefined ? cell : n;
}

/**
 * Reads a CSV row's features: every column but the target's, in column order, as `parseCell`
 * reads them; empty cells are left out (missing features).
 */
export function featureReader(columns: readonly string[], targetIndex: number): (cells: readonly string[]) => Record<string, FeatureValue> {
  const names: string[] = [];
  const indexes: number[] = [];
  columns.forEach((name, i) => {
    if (i !== targetIndex) {
      names.push(name);
      indexes.push(i);
    }
  });
  // A column named __proto__ is a feature like any other: a plain assignment would set the prototype.
  const plain = !names.includes('__proto__');
  return (cells) => {
    const x: Record<string, FeatureValue> = {};
    for (let i = 0; i < names.length; i++) {
      const value = parseCell(cells[indexes[i]]);
      if (value === undefined) continue;
      if (plain) x[names[i]] = value;
      else Object.defineProperty(x, names[i], { value, enumerable: true, writable: true, configurable: true });
    }
    return x;
  };
}
