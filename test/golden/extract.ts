import { inspect } from 'node:util';

/**
 * The golden tests' machinery: find the TSDoc `@example` blocks of a source file, turn each into a
 * module whose `// => expected` lines are assertions, and compare printed values the way River's
 * doctests do. Kept apart from examples.test.ts so that it reads as a small tool.
 */

/** One line of an example, with its 1-based line number in the source file. */
export interface ExampleLine {
  text: string;
  line: number;
}

export interface ExampleBlock {
  /** Source path relative to the repository, e.g. `src/ml/linear/logistic-regression.ts`. */
  file: string;
  /** The exported symbol the comment documents (`(module)` for `@packageDocumentation`). */
  name: string;
  lines: ExampleLine[];
  /** How many lines end in `// =>` and so assert a value. */
  assertions: number;
}

const DECLARATION =
  /^(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:class|function\*?|const|let|var|interface|type|enum)\s+([A-Za-z_$][\w$]*)/;
const MEMBER = /^(?:(?:public|protected|private|static|readonly|override|get|set|async)\s+)*([A-Za-z_$][\w$]*)/;
const MARKER = '// =>';

/** The symbol a doc comment documents: the declaration that follows it. */
function documentedName(comment: string, after: string): string {
  if (/@packageDocumentation\b/.test(comment)) return '(module)';
  const next = after.trimStart();
  return DECLARATION.exec(next)?.[1] ?? MEMBER.exec(next)?.[1] ?? '(anonymous)';
}

/**
 * Every `@example` block of a TypeScript source: the lines after the tag (text on the tag's own
 * line is a caption) up to the next tag or the end of the comment, with each line's leading ` * `
 * stripped. Lines of a fenced block (```ts … ```) are kept without the fences.
 */
export function extractExamples(file: string, source: string): ExampleBlock[] {
  const blocks: ExampleBlock[] = [];
  const counts = new Map<string, number>();
  for (const match of source.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const comment = match[0];
    const start = match.index ?? 0;
    const firstLine = source.slice(0, start).split('\n').length;
    const name = documentedName(comment, source.slice(start + comment.length));
    const commentLines = comment.split('\n').map((text, i) => ({
      text: text.replace(/^\s*\/\*\*\s?/, '').replace(/\s*\*\/\s*$/, '').replace(/^\s*\*(?: |$)/, ''),
      line: firstLine + i,
    }));
    let current: ExampleLine[] | null = null;
    const finish = () => {
      if (current === null) return;
      while (current.length > 0 && current[current.length - 1].text.trim() === '') current.pop();
      const n = (counts.get(name) ?? 0) + 1;
      counts.set(name, n);
      blocks.push({
        file,
        name: n === 1 ? name : `${name} (example ${n})`,
        lines: current,
        assertions: current.filter((l) => l.text.includes(MARKER)).length,
      });
      current = null;
    };
    for (const line of commentLines) {
      const tag = /^\s*@(\w+)/.exec(line.text);
      if (tag !== null) {
        finish();
        if (tag[1] === 'example') current = [];
        continue;
      }
      if (current !== null && !/^\s*```/.test(line.text)) current.push(line);
    }
    finish();
  }
  return blocks;
}

/**
 * A trailing note in parentheses that starts with "ours" or "River" says where the expected value
 * comes from, e.g. `// => 0.88 (ours; River has no example)` or `(River 0.22's docstring)`; it is
 * not part of the expected text.
 */
const NOTE = /\s+\((?:ours|River)\b[^()]*\)\s*$/;
const BINDING = /^(const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=/;

/**
 * The example as a module exporting `run(check)`. Line k of the block is line k + 1 of the module
 * (the imports and the function's head share line 1), so `lineMap[k]` finds a module line's
 * source line. `expr; // => text` becomes `check(expr, "text", line)`; `const v = expr; // => text`
 * declares `v` and then checks it.
 */
export function toModule(block: ExampleBlock, imports: string): { code: string; lineMap: number[] } {
  const out = [`${imports} export async function run(check: (value: unknown, expected: string, line: number) => void): Promise<void> {`];
  const lineMap = [block.lines[0]?.line ?? 0];
  for (const { text, line } of block.lines) {
    lineMap.push(line);
    const at = text.indexOf(MARKER);
    if (at < 0) {
      out.push(text);
      continue;
    }
    const code = text.slice(0, at).trim().replace(/;$/, '');
    const expected = text.slice(at + MARKER.length).replace(NOTE, '').trim();
    if (code === '') throw new Error(`${block.file}:${line}: "// =>" needs an expression before it on the same line`);
    const binding = BINDING.exec(code);
    const checked = binding === null ? `(${code})` : binding[2];
    const prefix = binding === null ? '' : `${code}; `;
    out.push(`${prefix}check(${checked}, ${JSON.stringify(expected)}, ${line});`);
  }
  out.push('}', '');
  return { code: out.join('\n'), lineMap };
}

/**
 * What a value prints as: `String(value)` for primitives and for objects with their own
 * `toString` (a metric prints River's way, `ROCAUC: 95.07%`); otherwise Node's `util.inspect` on
 * one line, as `console.log` shows it (`{ x: -0.999…, y: 0.999… }`, `Map(2) { 1 => 0.9, 2 => 0.1 }`).
 */
export function show(value: unknown): string {
  if (typeof value !== 'object' || value === null) return String(value);
  const plain = Array.isArray(value) || value instanceof Map || value instanceof Set;
  if (!plain && typeof value.toString === 'function' && value.toString !== Object.prototype.toString) return String(value);
  return inspect(value, { depth: Infinity, breakLength: Infinity, maxArrayLength: Infinity, maxStringLength: Infinity });
}

/** Floats as pytest's doctest NUMBER flag reads them: with a decimal point or an exponent. */
const FLOAT = /(?<![\w.])[+-]?(?:\d+\.\d*|\.\d+|\d+(?=[eE][+-]?\d))(?:[eE][+-]?\d+)?/g;

/** Digits written after the decimal point, minus the exponent: `0.558735` → 6, `1.5e-3` → 4. */
function precisionOf(written: string): number {
  const [mantissa, exponent = '0'] = written.toLowerCase().split('e');
  return (mantissa.split('.')[1]?.length ?? 0) - Number(exponent);
}

const squeeze = (text: string) => text.trim().replace(/\s+/g, ' ');

/**
 * Whether a printed value matches the expected text, by River's doctest rules (pytest with
 * NUMBER and NORMALIZE_WHITESPACE):
 * - runs of whitespace compare as one space;
 * - a float written in the expected text with k decimals matches any printed float within
 *   10^-k of it (`0.558735` matches 0.5587349999… and 0.55873512…; `-0.999` matches
 *   -0.9999999999999994), provided both texts hold the same number of floats;
 * - everything else, integers included, must be equal.
 */
export function matches(expected: string, actual: string): boolean {
  const want = squeeze(expected);
  const got = squeeze(actual);
  if (want === got) return true;
  const wanted = [...want.matchAll(FLOAT)];
  const found = [...got.matchAll(FLOAT)];
  if (wanted.length === 0 || wanted.length !== found.length) return false;
  let rewritten = '';
  let last = 0;
  wanted.forEach((w, i) => {
    const g = found[i];
    const close = Math.abs(Number(w[0]) - Number(g[0])) <= 10 ** -precisionOf(w[0]);
    rewritten += got.slice(last, g.index) + (close ? w[0] : g[0]);
    last = (g.index ?? 0) + g[0].length;
  });
  return rewritten + got.slice(last) === want;
}
