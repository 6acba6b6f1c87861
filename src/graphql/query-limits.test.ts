import { readFileSync } from 'node:fs';
import { buildSchema, getIntrospectionQuery, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { NoProtoKeyRule } from './no-proto-key-rule.js';
import { DEFAULT_QUERY_LIMITS, parseWithLimits, type QueryLimits, queryLimitRules } from './query-limits.js';
import { SCHEMA_PATH } from './schema.js';

// The SDL alone: under vitest, yoga's executable schema comes from graphql's CommonJS build and
// validate from its ES module build, which refuse to mix (the server runs one build only).
const schema = buildSchema(readFileSync(SCHEMA_PATH, 'utf8'));

function check(query: string, limits: Partial<QueryLimits> = {}): string[] {
  const all = { ...DEFAULT_QUERY_LIMITS, ...limits };
  try {
    const document = parseWithLimits(all)(query);
    return validate(schema, document, [...specifiedRules, ...queryLimitRules(all)]).map((e) => e.message);
  } catch (error) {
    return [(error as Error).message];
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('query limits', () => {
  it('pass what eddy itself sends: its deepest query, a 40-alias audit batch, the introspection query', () => {
    expect(check('{ models { versions { metrics { name value text } } } }')).toEqual([]);
    const audits = range(40).map((v) => `v${v + 1}: audit(model: "m", version: ${v + 1}) { ok version eventsReplayed detail }`);
    expect(check(`mutation { ${audits.join(' ')} }`)).toEqual([]);
    expect(check(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }))).toEqual([]);
  });

  it('refuse depth past maxDepth, counting fragments as if inlined', () => {
    const query = '{ models { versions { metrics { name } } } }';
    expect(check(query, { maxDepth: 3 })).toEqual(['Query depth limit of 3 exceeded, found 4.']);
    expect(check('{ models { ...M } } fragment M on Model { versions { ...V } } fragment V on ModelVersion { number }', { maxDepth: 3 })).toEqual([]);
  });

  it('refuse aliases past maxAliases', () => {
    expect(check(`{ ${range(51).map((i) => `a${i}: models { name }`).join(' ')} }`)).toEqual(['Aliases limit of 50 exceeded, found 51.']);
  });

  it('refuse a cost past maxCost: a literal `first:` multiplies its subtree', () => {
    expect(check('{ model(name: "m") { versions(first: 1000) { number sha256 } } }')).toEqual([
      'Query Cost limit of 5000 exceeded, found 7502.',
    ]);
    expect(check('{ model(name: "m") { versions(first: 100) { number sha256 } } }')).toEqual([]);
  });

  it('refuse directives past maxDirectives', () => {
    const query = `{ models ${'@include(if: true) '.repeat(3)}{ name } }`;
    expect(check(query, { maxDirectives: 2 })).toContain('Directives limit of 2 exceeded, found 3.');
  });

  it('refuse a document of more than maxTokens tokens while parsing it', () => {
    // 15 tokens around the list: { predict ( model : "m" features : [ … ] ) { label } }
    const withList = (n: number) => `{ predict(model: "m", features: [${'1 '.repeat(n)}]) { label } }`;
    expect(check(withList(985))).toEqual([]);
    expect(check(withList(986))).toEqual(['Syntax Error: Token limit of 1000 exceeded.']);
  });

  it('survive fragment cycles and bombs: validation reports them, the cost rule refuses the bomb', () => {
    expect(check('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }')).toEqual([
      'Cannot spread fragment "A" within itself via "B".',
    ]);
    const bomb = `{ ...F20 } fragment F0 on Query { models { name } } ${range(20)
      .map((i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`)
      .join(' ')}`;
    expect(check(bomb)[0]).toMatch(/^Query Cost limit of 5000 exceeded/);
  });

  it('refuse `__proto__` as a literal object key, which graphql-jit would turn into a prototype', () => {
    const query = '{ predict(model: "m", features: {x: 1, nested: {__proto__: {y: 2}}}) { label } }';
    const errors = validate(schema, parseWithLimits(DEFAULT_QUERY_LIMITS)(query), [...specifiedRules, NoProtoKeyRule]);
    expect(errors.map((e) => e.message)).toEqual(['"__proto__" cannot be a key of a literal object; send it in variables']);
  });
});
