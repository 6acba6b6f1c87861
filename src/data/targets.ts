import type { Label, Task } from '../ml/base/types.js';
import { parseCell, parseNumber } from './cells.js';

/** Reads one target cell; throws a message (without the line) when the cell cannot be a target. */
export type TargetReader = (cell: string) => Label;

function binaryWord(cell: string): boolean | undefined {
  switch (cell.trim().toLowerCase()) {
    case 'true':
      return true;
    case 'false':
      return false;
    default:
      return undefined;
  }
}

function describe(cell: string): string {
  return cell.length === 0 ? 'empty' : JSON.stringify(cell);
}

/**
 * How a task reads its target column: a binary task maps `1`/`0`/`true`/`false` (any case, and
 * any spelling of the numbers 1 and 0 such as `1.0`) to true/false, as River's `y == "1"`
 * converters do; regression needs a finite number; multiclass keeps the cell's parsed type
 * (numbers stay numbers, so `3` and `3.0` are one class).
 */
export function targetReader(task: Task, column: string): TargetReader {
  const name = JSON.stringify(column);
  switch (task) {
    case 'binary':
      return (cell) => {
        const n = parseNumber(cell);
        if (n === 1) return true;
        if (n === 0) return false;
        const word = binaryWord(cell);
        if (word !== undefined) return word;
        throw new Error(`target ${name} is ${describe(cell)}; a binary target must be 1, 0, true or false`);
      };
    case 'regression':
      return (cell) => {
        const n = parseNumber(cell);
        if (n === undefined || !Number.isFinite(n)) {
          throw new Error(`target ${name} is ${describe(cell)}, not a number (regression needs numeric targets)`);
        }
        return n;
      };
    case 'multiclass':
      return (cell) => {
        const label = parseCell(cell);
        if (label === undefined) throw new Error(`target ${name} is empty`);
        return label;
      };
  }
}
