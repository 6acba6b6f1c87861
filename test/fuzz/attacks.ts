import fc from 'fast-check';
import { type Call, operation, Raw } from './documents.js';

export type Task = 'binary' | 'multiclass' | 'regression';

/** A model the barrage aims at. */
export interface Target {
  name: string;
  task: Task;
  spec: unknown;
  /** Served predictions of this model without a label yet. */
  unlabelled: string[];
  /** Served predictions of this model that already have a label. */
  labelled: string[];
}

/**
 * How a request reaches eddy: the first two take the compiled fast path; GET, forms and
 * application/graphql yoga; SSE the subscription fan-out, which hands everything but live
 * subscriptions to yoga; `ws` graphql-ws on yoga's envelop.
 */
export type Transport = 'post-json' | 'post-graphql-response' | 'get' | 'post-sse' | 'post-graphql' | 'post-form' | 'ws';
export const TRANSPORTS: Transport[] = ['post-json', 'post-graphql-response', 'get', 'post-sse', 'post-graphql', 'post-form', 'ws'];

export interface Attack {
  what: string;
  transport: Transport;
  query: string;
  variables?: unknown;
  /** The variables as JSON text, for values too deep to stringify. */
  variablesJson?: string;
  operationName?: unknown;
  /** Sent as the body instead of `{ query, variables, operationName }` (POST JSON only). */
  raw?: string | Uint8Array;
  /** A write that must be refused: errors, and no mutation field answers. */
  mustReject: boolean;
}

// ---- values ----

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

/** Strings that have broken servers: unicode oddities, control characters, injection bait. */
export const nastyString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    ...PROTO_KEYS,
    '\u0000',
    '\uD800',
    '\uDFFF',
    '\u202E',
    '\uFEFF',
    'e\u0301',
    '𝔁',
    '👩‍👩‍👧',
    'null',
    'undefined',
    'NaN',
    '-0',
    "'; DROP TABLE events; --",
    '%s%n',
    '\n\r\t',
    '${x}',
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
);

const NON_FINITE = ['NaN', 'nan', ' Infinity ', '-inf', '+INF', 'infinity', '1e400', '-1e999'];

const number = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(0, -0, 1, 1e308, -1e308, 5e-324, 2 ** 53 + 1),
);
/** A feature value of any shape, valid or not. */
const anyValue = fc.oneof(number, fc.boolean(), fc.constant(null), nastyString, fc.jsonValue({ maxDepth: 3 }));

/** A features object that may well be valid: short names, finite numbers and booleans. */
const plausibleFeatures = fc.dictionary(
  fc.oneof(fc.constantFrom('x', 'y', 'z', 'constructor', 'toString', 'é', '𝔁'), fc.string({ minLength: 1, maxLength: 12 })),
  fc.oneof(number, fc.boolean(), fc.constant(null)),
  { maxKeys: 6 },
);

/** Features every model must refuse. */
export const poisonedFeatures: fc.Arbitrary<unknown> = fc.oneof(
  fc.oneof(number, fc.boolean(), nastyString, fc.array(anyValue, { maxLength: 4 })),
  fc
    .tuple(
      plausibleFeatures,
      fc.oneof(
        fc.tuple(fc.constant(''), anyValue),
        fc.tuple(
          fc.integer({ min: 257, max: 3000 }).map((n) => 'n'.repeat(n)),
          number,
        ),
        fc.tuple(fc.constant('__proto__'), anyValue),
        fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...NON_FINITE)),
        fc.tuple(fc.string({ maxLength: 8 }), fc.constant(new Raw('1e400'))),
        fc.tuple(fc.string({ maxLength: 8 }), fc.oneof(fc.array(anyValue), fc.dictionary(fc.string(), anyValue))),
        fc.tuple(
          fc.string({ maxLength: 8 }),
          fc.integer({ min: 1025, max: 5000 }).map((n) => 's'.repeat(n)),
        ),
      ),
    )
    .map(([features, [name, value]]) => ({ ...features, [name]: value })),
  fc.integer({ min: 1001, max: 2500 }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, i]))),
);

/** Features of any kind, mostly plausible. */
const anyFeatures = fc.oneof({ weight: 3, arbitrary: plausibleFeatures }, poisonedFeatures, fc.constant(undefined));

const validLabel: Record<Task, fc.Arbitrary<unknown>> = {
  binary: fc.constantFrom(true, false, 0, 1, 'true', 'FALSE', ' 1 '),
  regression: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, 1e308)),
  multiclass: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.integer(), fc.boolean(), fc.constantFrom(...PROTO_KEYS)),
};

const structured = fc.oneof(fc.array(anyValue, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), anyValue, { maxKeys: 3 }));
const literalOnly = fc.constantFrom(new Raw('1e400'), new Raw('-1e400'), new Raw('{__proto__: true}'), new Raw('[1e400]'));

const invalidLabel: Record<Task, fc.Arbitrary<unknown>> = {
  binary: fc.oneof(
    fc.constantFrom(2, -1, 0.5, 1e308, 'yes', '', ' ', 'truee', 'NaN', '2', '01', 'T'),
    number.filter((x) => x !== 0 && x !== 1),
    nastyString.filter((s) => !['true', 'false', '1', '0'].includes(s.trim().toLowerCase())),
    structured,
    literalOnly,
  ),
  regression: fc.oneof(fc.boolean(), nastyString, fc.constantFrom('1', 'NaN', 'Infinity', '0'), structured, literalOnly),
  multiclass: fc.oneof(
    fc.constant(''),
    fc.integer({ min: 1025, max: 4000 }).map((n) => 'c'.repeat(n)),
    structured,
    literalOnly,
  ),
};

// ---- learn: every one carries a defect that must get it refused ----

type Defect =
  | 'label'
  | 'features'
  | 'no-features'
  | 'unknown-prediction'
  | 'other-models-prediction'
  | 'labelled-prediction'
  | 'key'
  | 'unknown-model';

interface Example {
  features?: unknown;
  label: unknown;
  predictionId?: string;
  key?: string;
}

function unknownModel(targets: Target[]) {
  return nastyString.filter((s) => !targets.some((t) => t.name === s));
}

/** One learn example for `target` that must be refused, and why. */
function defective(targets: Target[], target: Target): fc.Arbitrary<{ defect: Defect; example: Example; model: string }> {
  const others = targets.filter((t) => t !== target).flatMap((t) => [...t.unlabelled, ...t.labelled]);
  const valid = validLabel[target.task];
  const defects: Array<fc.Arbitrary<{ defect: Defect; example: Example; model: string }>> = [
    fc.record({ features: anyFeatures, label: invalidLabel[target.task] }).map((e) => ({ defect: 'label', example: e, model: target.name })),
    fc.record({ features: poisonedFeatures, label: valid }).map((e) => ({ defect: 'features', example: e, model: target.name })),
    valid.map((label) => ({ defect: 'no-features', example: { label }, model: target.name })),
    fc
      .record({ features: anyFeatures, label: valid, predictionId: fc.oneof(nastyString, fc.uuid()) })
      .map((e) => ({ defect: 'unknown-prediction', example: e, model: target.name })),
    fc
      .record({ features: anyFeatures, label: valid, predictionId: fc.constantFrom(...others) })
      .map((e) => ({ defect: 'other-models-prediction', example: e, model: target.name })),
    fc
      .record({ label: valid, predictionId: fc.constantFrom(...target.labelled) })
      .map((e) => ({ defect: 'labelled-prediction', example: e, model: target.name })),
    fc
      .record({
        features: plausibleFeatures,
        label: valid,
        key: fc.oneof(fc.constant(''), fc.integer({ min: 257, max: 2000 }).map((n) => 'k'.repeat(n))),
      })
      .map((e) => ({ defect: 'key', example: e, model: target.name })),
    fc
      .record({ features: anyFeatures, label: anyValue, model: unknownModel(targets) })
      .map(({ model, ...e }) => ({ defect: 'unknown-model', example: e, model })),
  ];
  return fc.oneof(...defects);
}

const transport = fc.constantFrom(...TRANSPORTS);

function learnAttack(targets: Target[]): fc.Arbitrary<Attack> {
  const one = fc
    .constantFrom(...targets)
    .chain((t) => fc.tuple(defective(targets, t), fc.boolean(), fc.boolean()))
    .map(([{ defect, example, model }, inline, wait]): Call & { defect: Defect } => ({
      field: 'learn',
      args: { model, ...example, wait },
      inline,
      defect,
    }));
  return fc.tuple(fc.array(one, { minLength: 1, maxLength: 4 }), transport).map(([calls, t]) => ({
    what: `learn refused for ${calls.map((c) => c.defect).join(', ')}`,
    transport: t,
    ...operation('mutation', calls),
    mustReject: true,
  }));
}

/** learnMany with one bad example among plausible ones: all or nothing, so nothing. */
function learnManyAttack(targets: Target[]): fc.Arbitrary<Attack> {
  return fc
    .constantFrom(...targets)
    .chain((t) => {
      const plausible = fc.record({ features: plausibleFeatures, label: validLabel[t.task] });
      const bad = defective(targets, t).filter((d) => d.defect !== 'unknown-model');
      const twice = fc
        .tuple(fc.constantFrom(...t.unlabelled), validLabel[t.task])
        .map(([id, label]) => ({ defect: 'prediction labelled twice', example: { label, predictionId: id } }));
      return fc.tuple(
        fc.constant(t),
        fc.array(plausible, { maxLength: 6 }),
        fc.oneof(bad, twice),
        fc.nat(),
        fc.boolean(),
        transport,
      );
    })
    .map(([t, examples, { defect, example }, at, inline, tr]) => {
      const all: Example[] = [...examples];
      all.splice(at % (all.length + 1), 0, example);
      if (defect === 'prediction labelled twice') all.push(example);
      return {
        what: `learnMany refused for one example's ${defect}`,
        transport: tr,
        ...operation('mutation', [{ field: 'learnMany', args: { model: t.name, examples: all }, inline }]),
        mustReject: true,
      };
    });
}

/** Other writes, each refused: an existing name, a bad spec or metric, an unknown model or version. */
function otherWriteAttack(targets: Target[]): fc.Arbitrary<Attack> {
  const existing = fc.constantFrom(...targets);
  const badSpec = fc.oneof(
    fc.constantFrom(
      { type: 'Nope' },
      { steps: [] },
      { steps: [{ type: 'StandardScaler' }] },
      { type: 'LogisticRegression', optimizer: { type: 'SGD', lr: -1 } },
      { type: 'GaussianNB', unknownParam: 1 },
      { steps: [{ steps: [{ steps: [{ type: 'GaussianNB' }] }] }] },
      [],
      42,
    ),
    fc.jsonValue({ maxDepth: 4 }).filter((v) => typeof v !== 'object' || v === null || !('type' in v || 'steps' in v)),
  );
  const fresh = fc.string({ minLength: 1, maxLength: 20 }).map((s) => `fuzz-${s}`);
  const calls: fc.Arbitrary<Call> = fc.oneof(
    fc.record({ name: existing.map((t) => t.name), spec: fc.oneof(badSpec, existing.map((t) => t.spec)) }).map((args) => ({ field: 'createModel', args, inline: false })),
    fc.record({ name: fresh, spec: badSpec }).map((args) => ({ field: 'createModel', args, inline: false })),
    fc
      .record({
        name: fresh,
        spec: existing.map((t) => t.spec),
        metrics: fc.oneof(fc.constant(['Nope']), fc.constant(['Rolling(MAE, 0)']), fc.array(nastyString.map((s) => `~${s}`), { minLength: 1, maxLength: 3 })),
      })
      .map((args) => ({ field: 'createModel', args, inline: false })),
    unknownModel(targets).map((model) => ({ field: 'checkpoint', args: { model }, inline: true })),
    fc
      .record({
        model: fc.oneof(existing.map((t) => t.name), unknownModel(targets)),
        version: fc.oneof(fc.integer({ min: -(2 ** 31), max: 0 }), fc.integer({ min: 100_000, max: 2 ** 31 - 1 }), fc.constant(new Raw('2147483648'))),
      })
      .map((args) => ({ field: 'rollback', args, inline: false })),
  );
  return fc.tuple(fc.array(calls, { minLength: 1, maxLength: 3 }), fc.boolean(), transport).map(([cs, inline, t]) => ({
    what: `${cs.map((c) => c.field).join(', ')} refused`,
    transport: t,
    ...operation('mutation', cs.map((c) => ({ ...c, inline: c.inline || inline }))),
    mustReject: true,
  }));
}

/** Reads with hostile arguments: they may answer, but never with an unexpected error. */
function readAttack(targets: Target[]): fc.Arbitrary<Attack> {
  const model = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...targets.map((t) => t.name)) }, unknownModel(targets));
  const ids = targets.flatMap((t) => [...t.unlabelled, ...t.labelled]);
  const version = fc.oneof(fc.constant(undefined), fc.integer({ min: -5, max: 10 }), fc.integer());
  const calls: fc.Arbitrary<Call> = fc.oneof(
    fc.record({ model, features: fc.oneof(anyFeatures, anyValue), version }).map((args) => ({ field: 'predict', args, inline: false })),
    fc
      .record({ model, features: fc.oneof(fc.array(anyFeatures, { maxLength: 8 }), fc.constant(Array.from({ length: 10_001 }, () => ({})))), version })
      .map((args) => ({ field: 'predictMany', args, inline: false })),
    fc.record({ name: fc.oneof(model, nastyString) }).map((args) => ({ field: 'model', args, inline: false })),
    fc.record({ id: fc.oneof(fc.constantFrom(...ids), nastyString) }).map((args) => ({ field: 'prediction', args, inline: false })),
  );
  return fc
    .tuple(fc.array(calls, { minLength: 1, maxLength: 4 }), fc.boolean(), transport)
    .map(([cs, inline, t]) => ({ what: `read: ${cs.map((c) => c.field).join(', ')}`, transport: t, ...operation('query', cs.map((c) => ({ ...c, inline }))), mustReject: false }));
}

/** Audits only read; every answer they give must be ok. */
function auditAttack(targets: Target[]): fc.Arbitrary<Attack> {
  return fc
    .tuple(fc.constantFrom(...targets), fc.integer({ min: 1, max: 4 }), fc.constantFrom<Transport>('post-json', 'post-sse', 'post-form'))
    .map(([t, version, tr]) => ({ what: 'audit', transport: tr, ...operation('mutation', [{ field: 'audit', args: { model: t.name, version }, inline: true }]), mustReject: false }));
}

export { anyValue, auditAttack, learnAttack, learnManyAttack, otherWriteAttack, readAttack, transport, unknownModel };
