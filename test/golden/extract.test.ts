import { describe, expect, it } from 'vitest';
import { extractExamples, matches, show, toModule } from './extract.js';

describe('matches, River’s doctest NUMBER rule', () => {
  it('lets a float written with k decimals stand for any value within 10^-k', () => {
    expect(matches('0.558735', '0.5587349999999')).toBe(true);
    expect(matches('0.558735', '0.55873512')).toBe(true);
    expect(matches('MAE: 0.558735', 'MAE: 0.5587354')).toBe(true);
    expect(matches('{ x: -0.999, y: 0.999 }', '{ x: -0.9999999999999994, y: 0.9999999999999989 }')).toBe(true);
    expect(matches('0.0000137', '0.000013674080406218945')).toBe(true);
    expect(matches('0.558735', '0.558737')).toBe(false);
    expect(matches('[ 0.1, 0.2 ]', '[ 0.1, 0.4 ]')).toBe(false);
  });

  it('compares integers, words and the count of floats exactly, whitespace runs as one space', () => {
    expect(matches('1023', '1023')).toBe(true);
    expect(matches('2', '2.0000001')).toBe(false);
    expect(matches('0.0', '0')).toBe(false);
    expect(matches('ROCAUC: 95.07%', 'ROCAUC:  95.07% ')).toBe(true);
    expect(matches('F1: 40.00%', 'MacroF1: 40.00%')).toBe(false);
    expect(matches('[ 0.5 ]', '[ 0.5, 0.5 ]')).toBe(false);
  });
});

describe('show', () => {
  it('prints primitives and objects with their own toString as String does, the rest as console.log', () => {
    expect(show(0.5)).toBe('0.5');
    expect(show(null)).toBe('null');
    expect(show({ toString: () => 'ROCAUC: 95.07%' })).toBe('ROCAUC: 95.07%');
    expect(show({ x: 1, y: 'a' })).toBe("{ x: 1, y: 'a' }");
    expect(show([1, 2])).toBe('[ 1, 2 ]');
    expect(show(new Map([[true, 0.25]]))).toBe('Map(1) { true => 0.25 }');
  });
});

describe('extractExamples and toModule', () => {
  const source = [
    '/**',
    ' * Adds.',
    ' *',
    ' * @example',
    ' * ```ts',
    ' * const n = add(1, 2); // => 3 (ours; River has no example)',
    ' * add(n, 1); // => 4',
    ' * ```',
    ' * @see elsewhere',
    ' */',
    'export function add(a: number, b: number): number {',
    '  return a + b;',
    '}',
  ].join('\n');

  it('finds the block, its export name and its source lines, without fences or the next tag', () => {
    const [block] = extractExamples('src/ml/add.ts', source);
    expect(block.name).toBe('add');
    expect(block.assertions).toBe(2);
    expect(block.lines).toEqual([
      { text: 'const n = add(1, 2); // => 3 (ours; River has no example)', line: 6 },
      { text: 'add(n, 1); // => 4', line: 7 },
    ]);
  });

  it('turns "// =>" lines into checks carrying the source line, notes left out', () => {
    const [block] = extractExamples('src/ml/add.ts', source);
    const { code, lineMap } = toModule(block, '');
    const lines = code.split('\n');
    expect(lines[1]).toBe('const n = add(1, 2); check(n, "3", 6);');
    expect(lines[2]).toBe('check((add(n, 1)), "4", 7);');
    expect(lineMap[1]).toBe(6);
  });
});
