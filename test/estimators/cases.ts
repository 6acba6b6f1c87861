/**
 * Every registered step, as the model specs the generic checks run, with the streams each runs
 * on. A type registered in `src/ml/spec/catalog.ts` shows up here without any edit.
 */
import type { FeatureValue, Features, JsonObject, Label, Task } from '../../src/ml/base/types.js';
import { definitions } from '../../src/ml/spec/catalog.js';
import type { Role, StepDefinition } from '../../src/ml/spec/definition.js';
import { buildModel } from '../../src/ml/spec/model-spec.js';
import { imageSegments, phishing, trumpApproval } from '../support/datasets.js';
import { deepFreeze } from './helpers.js';
import { exampleSpecs } from './example-specs.js';

/** How many rows of each dataset the checks use: enough to train, few enough to stay fast. */
export const ROWS = 300;

export interface Stream {
  name: string;
  rows: ReadonlyArray<readonly [Features, Label]>;
}

function take(name: string, rows: Array<[Features, Label]>): Stream {
  return { name, rows: deepFreeze(rows.slice(0, ROWS)) };
}

/**
 * Rows with every feature z-scored once, up front. River's checks feed the datasets raw, where
 * TrumpApproval's `ordinal_date` (~736,000) drives a plain LinearRegression to predictions of
 * -5e21 within 30 rows, and ImageSegments' pixel counts (~250) make SGD steps large enough to
 * amplify a last-bit difference to 1e-10 within 200 rows; River's shuffle check tolerates 1e-6,
 * ours 1e-12, which only means something on well-scaled data.
 */
function standardized(rows: Array<[Record<string, FeatureValue>, Label]>): Array<[Features, Label]> {
  const names = Object.keys(rows[0][0]);
  const stats = names.map((name) => {
    const values = rows.map(([x]) => x[name] as number);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length) || 1;
    return { name, mean, sd };
  });
  return rows.map(([x, y]) => {
    const z: Record<string, FeatureValue> = {};
    for (const { name, mean, sd } of stats) z[name] = ((x[name] as number) - mean) / sd;
    return [z, y];
  });
}

/**
 * Rows with string features mixed in, so categorical paths run too: one-hot encoders get
 * something to encode, numeric estimators must skip categories, trees split on them. New
 * categories keep appearing as the stream goes on.
 */
function withCategories(
  rows: ReadonlyArray<readonly [Features, Label]>,
  categories: (x: Features, i: number) => Record<string, string>,
): Array<[Features, Label]> {
  return rows.map(([x, y], i) => [{ ...categories(x, i), ...x }, y]);
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

type StreamName = 'phishing' | 'numbered' | 'segments' | 'trump' | 'phishingCategories' | 'trumpCategories';
let cache: Record<StreamName, Stream> | undefined;

function streams() {
  if (cache !== undefined) return cache;
  const phishingRows = phishing().slice(0, ROWS);
  const trumpRows = trumpApproval().slice(0, ROWS);
  cache = {
    phishing: take('Phishing', phishingRows),
    // Numeric classes, as `eddy evaluate` reads a 0/1 target for a multiclass model: a restore
    // must give back 1, not "1" (object keys are strings).
    numbered: take('Phishing (classes 0 and 1)', phishingRows.map(([x, y]): [Features, Label] => [x, y ? 1 : 0])),
    segments: take('ImageSegments (standardized)', standardized(imageSegments().slice(0, ROWS))),
    trump: take('TrumpApproval (standardized)', standardized(trumpRows)),
    phishingCategories: take(
      'Phishing + categories',
      withCategories(phishingRows, (x, i) => ({
        popups: ['none', 'some', 'many'][Math.round((x.popup_window as number) * 2)],
        url: `${String(x.long_url)}/${String(x.https)}/${i % 11}`,
      })),
    ),
    trumpCategories: take(
      'TrumpApproval (standardized) + categories',
      withCategories(standardized(trumpRows), (_x, i) => ({
        // Python's date.fromordinal(n).weekday() is (n + 6) % 7; read from the raw row.
        weekday: WEEKDAYS[((trumpRows[i][0].ordinal_date as number) + 6) % 7],
        pollster: `p${i % 5}`,
      })),
    ),
  };
  return cache;
}

export interface EstimatorCase {
  /** The registered type under test. */
  type: string;
  role: Role;
  /** A model spec `buildModel` accepts, exercising `type`. */
  spec: JsonObject;
  /** The task of the built model. */
  task: Task;
  streams: Stream[];
}

/** A case that could not be built: the suite reports it as a failure rather than skipping it. */
export interface UnbuildableCase {
  type: string;
  spec: JsonObject;
  error: string;
}

const INNER: Partial<Record<Role, JsonObject>> = {
  classifier: { type: 'LogisticRegression' },
  regressor: { type: 'LinearRegression' },
  transformer: { type: 'StandardScaler' },
  optimizer: { type: 'SGD' },
};

/** `{ type }`, or with default inner steps filled in for nested params that need one. */
function ownSpecs(definition: StepDefinition): JsonObject[] {
  const listed = exampleSpecs[definition.type];
  if (listed !== undefined) return [...listed];
  const bare: JsonObject = { type: definition.type };
  if (buildable(bare)) return [bare];
  const filled: JsonObject = { ...bare };
  for (const [key, role] of Object.entries(definition.nested ?? {})) {
    const inner = INNER[role];
    if (inner !== undefined) filled[key] = inner;
  }
  return [filled];
}

function buildable(spec: JsonObject): boolean {
  try {
    buildModel(spec);
    return true;
  } catch {
    return false;
  }
}

/**
 * Specs exercising `definition`: classifiers and regressors as themselves, transformers before a
 * LinearRegression, and nested steps (optimizers, losses, initializers) inside the first
 * registered estimator that accepts them (a multiclass loss finds a multiclass model).
 */
function modelSpecs(definition: StepDefinition): JsonObject[] {
  const own = ownSpecs(definition);
  switch (definition.role) {
    case 'classifier':
    case 'regressor':
      return own;
    case 'transformer':
      return own.map((t) => ({ steps: [t, { type: 'LinearRegression' }] }));
    default:
      return own.map((step) => hostFor(definition.role, step));
  }
}

function hostFor(role: Role, step: JsonObject): JsonObject {
  let first: JsonObject | undefined;
  for (const host of definitions) {
    if (host.role !== 'classifier' && host.role !== 'regressor') continue;
    for (const [key, nestedRole] of Object.entries(host.nested ?? {})) {
      if (nestedRole !== role) continue;
      const spec: JsonObject = { type: host.type, [key]: step };
      if (buildable(spec)) return spec;
      first ??= spec;
    }
  }
  // None accepts it: return a spec whose build error the suite will report.
  return first ?? { type: 'LinearRegression', [role]: step };
}

function streamsFor(task: Task): Stream[] {
  const s = streams();
  if (task === 'regression') return [s.trump, s.trumpCategories];
  if (task === 'binary') return [s.phishing, s.phishingCategories];
  return [s.phishing, s.numbered, s.segments, s.phishingCategories];
}

/** Every registered step as checkable cases, and the ones that could not be built. */
export function estimatorCases(): { cases: EstimatorCase[]; unbuildable: UnbuildableCase[] } {
  const cases: EstimatorCase[] = [];
  const unbuildable: UnbuildableCase[] = [];
  for (const definition of definitions) {
    for (const spec of modelSpecs(definition)) {
      try {
        const task = buildModel(spec).task;
        cases.push({ type: definition.type, role: definition.role, spec, task, streams: streamsFor(task) });
      } catch (error) {
        unbuildable.push({ type: definition.type, spec, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  return { cases, unbuildable };
}
