import type { ClassLabel } from '../base/types.js';

/**
 * A class distribution (River's `{class: weight}` dict) as two parallel arrays in insertion
 * order: the tree's class indices and their weights. Insertion order matters to River: it is the
 * order of every float sum, and the first key wins ties.
 */
export interface Dist {
  cls: number[];
  w: number[];
}

/** A category of a nominal feature: a number (as `elevel = 3`) or a string. */
export type NominalValue = number | string;

export function emptyDist(): Dist {
  return { cls: [], w: [] };
}

export function copyDist(d: Dist): Dist {
  return { cls: d.cls.slice(), w: d.w.slice() };
}

/** `sum(d.values())`, left to right from 0, as Python's `sum`. */
export function distSum(d: Dist): number {
  let s = 0;
  for (let j = 0; j < d.w.length; j++) s += d.w[j];
  return s;
}

/** Adds `w` to class `c`, appending it when new (`d[c] += w` on a dict). */
export function addTo(d: Dist, c: number, w: number): void {
  const j = d.cls.indexOf(c);
  if (j >= 0) d.w[j] += w;
  else {
    d.cls.push(c);
    d.w.push(w);
  }
}

/** Code-point order, as Python compares strings. */
function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; ) {
    const ca = a.codePointAt(i) as number;
    const cb = b.codePointAt(i) as number;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/**
 * Python's `sorted` order for labels and categories: numbers (booleans as 0/1) by value,
 * strings by code point. Python cannot compare a number with a string; numbers come first here.
 */
export function comparePython(a: ClassLabel, b: ClassLabel): number {
  const sa = typeof a === 'string';
  const sb = typeof b === 'string';
  if (sa && sb) return compareStrings(a, b);
  if (sa !== sb) return sa ? 1 : -1;
  const na = Number(a);
  const nb = Number(b);
  return na < nb ? -1 : na > nb ? 1 : 0;
}
