import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { featureReader, parseCell, parseNumber } from './cells.js';
import { DataError } from './data-error.js';
import { readCsv } from './read-csv.js';
import { targetReader } from './targets.js';

const TMP = mkdtempSync(join(tmpdir(), 'eddy-read-csv-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(TMP, name);
  writeFileSync(path, content);
  return path;
}

async function read(path: string) {
  const rows: Array<[number, readonly string[]]> = [];
  let header: readonly string[] = [];
  const count = await readCsv(path, { onHeader: (c) => (header = c), onRow: (cells, line) => rows.push([line, cells]) });
  return { header, rows, count };
}

describe('readCsv', () => {
  it('streams the header, then each row with the line it is on, skipping blank lines', async () => {
    const { header, rows, count } = await read(file('plain.csv', 'a,b\r\n1,x\r\n\r\n3,"y, z"\r\n'));
    expect(header).toEqual(['a', 'b']);
    expect(rows).toEqual([
      [2, ['1', 'x']],
      [4, ['3', 'y, z']],
    ]);
    expect(count).toBe(2);
  });

  it('reads gzip by its magic bytes, whatever the file is called', async () => {
    const { rows } = await read(file('packed.data', gzipSync('a,b\n1,2\n')));
    expect(rows).toEqual([[2, ['1', '2']]]);
  });

  it('reports a missing file, an empty file and a ragged row as DataErrors', async () => {
    await expect(read(join(TMP, 'absent.csv'))).rejects.toThrow(new DataError('cannot read the file: no such file'));
    await expect(read(file('empty.csv', ''))).rejects.toThrow(/the file is empty/);
    await expect(read(file('ragged.csv', 'a,b\n1,2\n3\n'))).rejects.toThrow(/not valid CSV: .*line 3/);
  });

  it('stops at the first error a handler throws, and passes it through', async () => {
    const boom = new Error('stop');
    await expect(readCsv(file('stop.csv', 'a\n1\n2\n'), { onHeader: () => {}, onRow: () => { throw boom; } })).rejects.toBe(boom);
  });
});

describe('cells and targets', () => {
  it('reads decimal numbers as numbers, empty cells as missing, anything else as a string', () => {
    expect(['12', '-0.5', '.5', '1e-3', '+2'].map(parseCell)).toEqual([12, -0.5, 0.5, 0.001, 2]);
    expect(parseCell('')).toBeUndefined();
    expect(['0x1A', 'Infinity', 'abc', ' 1', '1.2.3', '-'].map(parseCell)).toEqual(['0x1A', 'Infinity', 'abc', ' 1', '1.2.3', '-']);
    expect(parseNumber('0b1')).toBeUndefined();
  });

  it("reads a row's features: every column but the target, empty cells left out", () => {
    const read = featureReader(['a', 'y', 'b', 'c'], 1);
    const x = read(['1.5', 'yes', '', 'red']);
    expect(x).toEqual({ a: 1.5, c: 'red' });
    expect(Object.keys(x)).toEqual(['a', 'c']);
  });

  it('reads a column named __proto__ as a feature, not as the prototype', () => {
    const x = featureReader(['__proto__', 'a', 'y'], 2)(['3', '4', '1']);
    expect(Object.getPrototypeOf(x)).toBe(Object.prototype);
    expect(Object.keys(x)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(x, '__proto__')?.value).toBe(3);
  });

  it('maps binary targets 1/0/true/false (any case, 1.0/0.0 too) and rejects anything else', () => {
    const read = targetReader('binary', 'y');
    expect(['1', '0', 'TRUE', 'false', '1.0', '0.0'].map(read)).toEqual([true, false, true, false, true, false]);
    expect(() => read('yes')).toThrow('target "y" is "yes"; a binary target must be 1, 0, true or false');
    expect(() => read('2')).toThrow();
  });

  it('needs finite numbers for regression and keeps the parsed type for multiclass', () => {
    expect(targetReader('regression', 'y')('43.75')).toBe(43.75);
    expect(() => targetReader('regression', 'y')('')).toThrow('target "y" is empty, not a number');
    expect(['path', '3', '3.0'].map(targetReader('multiclass', 'y'))).toEqual(['path', 3, 3]);
  });
});
