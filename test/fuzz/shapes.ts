import fc from 'fast-check';
import { type Attack, anyValue, transport } from './attacks.js';

/**
 * Documents whose shape is the attack: random tokens, deep nesting, many aliases, huge strings,
 * unknown fields, fragment cycles and bombs, directive spam, variable and operation games, and
 * raw bodies that are not GraphQL requests at all. They write nothing whatever they do: they name
 * no existing model, except to predict from it.
 */

const TOKENS = [
  '{', '}', '(', ')', '[', ']', ':', '=', '@', '!', '$', '...', '|', '&', ',',
  'query', 'mutation', 'subscription', 'fragment', 'on', 'true', 'false', 'null', 'schema', 'type',
  'models', 'model', 'predict', 'predictMany', 'learn', 'learnMany', 'createModel', 'checkpoint', 'rollback', 'audit',
  'name', 'versions', 'metrics', 'text', 'label', 'features', 'examples', 'spec', 'version', 'number', 'id',
  '__typename', '__schema', '__type', 'types', 'fields', 'ofType', 'kind', 'include', 'skip', 'if', 'deprecated',
  'x', 'Query', 'Model', 'JSON', 'Int', 'String',
  '"no-such-model"', '""', '"""block"""', '"unterminated', '"\\u0000"', '"\\uD800"', '"\\x"',
  '0', '-1', '1e400', '1.5e-300', '00', '1.', '.5', '0x1F', '99999999999999999999999', '-0',
  '# comment\n', '\uFEFF', '\u0000', '😀', '\u2028',
];

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 200 }).map((ts) => ts.join(' '));

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

type Shape = { what: string; query: string; variables?: unknown; variablesJson?: string; operationName?: unknown };

/** The shapes; `model` is an existing model, for attacks that only read. */
const shapes = (model: string): Array<fc.Arbitrary<Shape>> => [
  tokenSoup.map((query) => ({ what: 'random tokens', query })),
  fc.integer({ min: 2, max: 300 }).map((n) => ({ what: `${n} nested selections`, query: `{ models ${'{ versions '.repeat(n)}{ number }${' }'.repeat(n)} }` })),
  fc.integer({ min: 2, max: 400 }).map((n) => ({ what: `${n} nested introspection levels`, query: `{ __type(name: "Model") ${'{ fields { type '.repeat(n)}{ name }${' } }'.repeat(n)} }` })),
  fc.integer({ min: 10, max: 400 }).map((n) => ({ what: `${n} aliases`, query: `{ ${range(n).map((i) => `a${i}: models { name }`).join(' ')} }` })),
  fc.integer({ min: 10, max: 300 }).map((n) => ({ what: `${n} aliased predicts`, query: `{ ${range(n).map((i) => `p${i}: predict(model: "no-such-model", features: {x: ${i}}) { label }`).join(' ')} }` })),
  fc.integer({ min: 10, max: 2000 }).map((n) => ({ what: `${n} repeated fields`, query: `{ ${'models { name } '.repeat(n)}}` })),
  fc.integer({ min: 1_000, max: 1_100_000 }).map((n) => ({ what: `a ${n}-character string`, query: `{ model(name: "${'x'.repeat(n)}") { name } }` })),
  fc.constantFrom(
    { what: 'unknown fields', query: '{ nope { nope } models { nope } __nope }' },
    { what: 'unknown argument', query: '{ models(first: 1) { name } }' },
    { what: 'unknown type condition', query: '{ ... on Nope { x } }' },
    { what: 'fragment cycle', query: '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }' },
    { what: 'fragment self-spread', query: '{ ...A } fragment A on Query { models { name } ...A }' },
    { what: 'unused fragment', query: '{ models { name } } fragment A on Query { models { name } }' },
    { what: 'missing fragment', query: '{ ...Nope }' },
    { what: 'two anonymous operations', query: '{ models { name } } { models { name } }' },
    { what: 'duplicate operation names', query: 'query A { models { name } } query A { models { name } }' },
    { what: 'undeclared variable', query: '{ model(name: $nope) { name } }' },
    { what: 'wrongly typed variable', query: 'query($n: Int) { model(name: $n) { name } }', variables: { n: 'x' } },
    { what: 'bad variable default', query: 'query($n: String = 12) { model(name: $n) { name } }' },
    { what: 'subscription to no model', query: 'subscription { metrics(model: "no-such-model") { model } }' },
    { what: 'introspection', query: '{ __schema { types { name fields { name args { name type { name ofType { name ofType { name } } } } } } } }' },
    { what: 'empty document', query: '' },
    { what: 'only a comment', query: '# nothing' },
  ),
  fc.integer({ min: 2, max: 40 }).map((k) => ({
    what: `a fragment bomb of ${k} doublings`,
    query: `{ ...F${k} } fragment F0 on Query { models { name } } ${range(k).map((i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`).join(' ')}`,
  })),
  fc.integer({ min: 2, max: 500 }).map((n) => ({ what: `a chain of ${n} fragments`, query: `{ ...F0 } ${range(n).map((i) => `fragment F${i} on Query { ${i + 1 < n ? `...F${i + 1}` : 'models { name }'} }`).join(' ')}` })),
  fc
    .tuple(fc.integer({ min: 10, max: 600 }), fc.constantFrom('@include(if: true)', '@skip(if: false)', '@nope', '@deprecated', '@include(if: $x)'))
    .map(([n, d]) => ({ what: `${n}× ${d}`, query: `query($x: Boolean = true) { models ${`${d} `.repeat(n)}{ name } }` })),
  fc.integer({ min: 10, max: 3000 }).map((n) => ({ what: `${n} nested literal objects`, query: `{ predict(model: "no-such-model", features: ${'{a: '.repeat(n)}1${'}'.repeat(n)}) { label } }` })),
  fc.integer({ min: 10, max: 3000 }).map((n) => ({ what: `${n} nested literal lists`, query: `{ predict(model: "no-such-model", features: ${'['.repeat(n)}1${']'.repeat(n)}) { label } }` })),
  // As text: JSON.stringify (here and in fast-check's reports) recurses and would overflow first.
  fc.tuple(fc.integer({ min: 10, max: 300_000 }), fc.constantFrom(['[', ']'], ['{"a":', '}'])).map(([n, [open, close]]) => ({
    what: `${n} nested ${open === '[' ? 'lists' : 'objects'} in a variable`,
    query: `query($f: JSON!) { predict(model: "${model}", features: $f) { label } }`,
    variablesJson: `{"f":${open.repeat(n)}1${close.repeat(n)}}`,
  })),
  fc.tuple(tokenSoup, fc.oneof(anyValue, fc.dictionary(fc.string(), anyValue)), fc.oneof(fc.string(), anyValue)).map(([query, variables, operationName]) => ({
    what: 'random tokens with random variables and operation name',
    query,
    variables,
    operationName,
  })),
  fc.constantFrom(
    { what: 'operation name of no operation', query: 'query A { models { name } }', operationName: 'B' },
    { what: 'operation name that is an object', query: 'query A { models { name } }', operationName: { A: 1 } },
    { what: 'variables that are an array', query: '{ models { name } }', variables: [1, 2] },
    { what: 'variables that are a string', query: '{ models { name } }', variables: '{"a":1}' },
  ),
];

const RAW = [
  '', 'null', '[]', '"a string"', '{', '{"query":', '{"query": 1}', '{"query": null}', '{"query": ["{ models { name } }"]}',
  '[{"query":"{ models { name } }"}]', '{"query":"{ models { name } }","variables":[1]}',
  '{"__proto__":{"query":"{ models { name } }"}}', '{"query":"{ models { name } }","query":"{ __typename }"}',
  '{"query":"{ models { name } }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"x"}}}',
  '{"query":"{ models { name } }","operationName":null,"variables":null}',
];

const raw = fc.oneof(
  fc.constantFrom(...RAW).map((body) => ({ what: 'a raw body', body })),
  fc.uint8Array({ maxLength: 200 }).map((body) => ({ what: 'random bytes', body })),
  fc.string({ unit: 'binary', maxLength: 200 }).map((body) => ({ what: 'a random string body', body })),
);

export function shapeAttack(model: string): fc.Arbitrary<Attack> {
  return fc.tuple(fc.oneof(...shapes(model)), transport).map(([s, t]) => ({ ...s, transport: t, mustReject: false }));
}

export function rawAttack(): fc.Arbitrary<Attack> {
  return fc
    .tuple(raw, fc.constantFrom('post-json' as const, 'post-graphql-response' as const))
    .map(([r, t]) => ({ what: r.what, transport: t, query: '', raw: r.body, mustReject: false }));
}
