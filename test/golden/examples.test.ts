import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { knownMetrics } from '../../src/ml/metrics/parse.js';
import { definitions } from '../../src/ml/spec/catalog.js';
import { type ExampleBlock, extractExamples, matches, show, toModule } from './extract.js';

/**
 * Golden tests: every TSDoc `@example` in src/ml runs, and each line ending in `// => expected`
 * asserts what its expression prints (River's number where River has one; see extract.ts for the
 * NUMBER rule that lets `0.558735` stand for 0.5587349999…, and for how values print). Such a line
 * holds one expression, or `const v = expression`, whole on that line; a trailing `(ours …)` or
 * `(River …)` says where the number comes from. Examples without any `// =>` still run and must
 * not throw.
 *
 * An example runs with the public API in scope, as a user imports it from src/ml/index.ts
 * (`preprocessing`, `linear`, `metrics`, `evaluate`, …), plus `datasets` (test/golden/datasets.ts)
 * for River's bundled datasets and generators. Each block becomes a module in
 * test/golden/.generated/ (gitignored), which vitest compiles and runs, and which TypeScript
 * type-checks against the library as a user's code would be.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = fileURLToPath(new URL('./.generated/', import.meta.url));
const NAMESPACES = 'base, compose, drift, evaluate, linear, metrics, multiclass, naiveBayes, optim, preprocessing, spec, stats, tree';
const IMPORTS = `import { ${NAMESPACES} } from '../../../src/ml/index.js'; import { datasets } from '../datasets.js';`;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !/\.test(-util)?\.ts$/.test(entry.name) ? [path] : [];
  });
}

const blocks: ExampleBlock[] = sources(join(ROOT, 'src/ml'))
  .sort()
  .flatMap((path) => extractExamples(relative(ROOT, path), readFileSync(path, 'utf8')));

interface Generated {
  block: ExampleBlock;
  path: string;
  lineMap: number[];
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const generated: Generated[] = blocks.map((block) => {
  const base = `${block.file.replace(/^src\/ml\//, '').replace(/\.ts$/, '').replace(/\W+/g, '_')}__${block.name.replace(/\W+/g, '_')}`;
  const path = join(OUT, `${base}.ts`);
  const { code, lineMap } = toModule(block, IMPORTS);
  writeFileSync(path, code);
  return { block, path, lineMap };
});

type Run = (check: (value: unknown, expected: string, line: number) => void) => Promise<void>;

describe('TSDoc examples in src/ml', () => {
  for (const { block, path } of generated) {
    it(`${block.file}: ${block.name}`, async () => {
      const { run } = (await import(pathToFileURL(path).href)) as { run: Run };
      const failures: string[] = [];
      await run((value, expected, line) => {
        const actual = show(value);
        if (!matches(expected, actual)) failures.push(`${block.file}:${line}\n  expected: ${expected}\n  printed:  ${actual}`);
      });
      if (failures.length > 0) throw new Error(`printed values differ from the examples:\n${failures.join('\n')}`);
    });
  }
});

describe('the examples as documentation', () => {
  it('cover every spec-buildable class and every metric with an example that asserts a value', () => {
    const asserted = new Set(blocks.filter((b) => b.assertions > 0).map((b) => b.name.replace(/ \(example \d+\)$/, '')));
    const types = [...definitions.map((d) => d.type), ...knownMetrics];
    expect(types.filter((type) => !asserted.has(type))).toEqual([]);
  });

  it('type-check as a user’s code would, against the public API', () => {
    writeFileSync(
      join(OUT, 'tsconfig.json'),
      JSON.stringify({ extends: '../../../tsconfig.json', compilerOptions: { noEmit: true }, include: ['./*.ts'] }),
    );
    let output = '';
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(OUT, 'tsconfig.json')], {
        cwd: ROOT,
        encoding: 'utf8',
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    // Point each error at the example's line in its source file.
    const byFile = new Map(generated.map((g) => [relative(ROOT, g.path), g]));
    const errors = output.replace(/^(\S+\.ts)\((\d+),(\d+)\)/gm, (whole, file: string, line: string) => {
      const g = byFile.get(file);
      return g === undefined ? whole : `${g.block.file}:${g.lineMap[Number(line) - 1]} (${g.block.name})`;
    });
    expect(errors).toBe('');
  });
});
