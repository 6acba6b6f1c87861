import { z } from 'zod';
import { SCHEMA_VERSION, type Snapshot } from '../base/snapshot.js';
import type { ClassLabel } from '../base/types.js';
import { num } from '../spec/checks.js';
import { Accuracy } from './accuracy.js';
import { F1 } from './f1.js';
import { FBeta } from './fbeta.js';
import { LogLoss } from './log-loss.js';
import { MacroF1 } from './macro-f1.js';
import { MacroFBeta } from './macro-fbeta.js';
import { MAE } from './mae.js';
import type { Metric } from './metric.js';
import { MSE } from './mse.js';
import { Precision } from './precision.js';
import { R2 } from './r2.js';
import { Recall } from './recall.js';
import { RMSE } from './rmse.js';
import { ROCAUC } from './roc-auc.js';
import { Rolling } from './rolling.js';

/** How one metric class is named in a spec, what params it takes and how it is built. */
export interface MetricDefinition {
  type: string;
  /** Strict params, every one optional unless listed in `required`; River's names in camelCase. */
  params: z.ZodObject;
  required?: readonly string[];
  /** Params that hold a metric spec of their own. */
  nested?: readonly string[];
  /** Param names in River's positional order, for the text form `FBeta(2)`. */
  positional?: readonly string[];
  build(params: Record<string, unknown>, nested: Record<string, Metric>): Metric;
}

const label = z.union([z.boolean(), z.number(), z.string()], { error: 'must be a boolean, number or string label' });
const posVal = z.strictObject({ posVal: label.optional() });
const none = z.strictObject({});
const beta = z.strictObject({ beta: num.nonNegative() });
const withPosVal = (p: Record<string, unknown>) => ({ posVal: p.posVal as ClassLabel | undefined });

/** Every metric a spec or a metric name may use. */
export const metricDefinitions: readonly MetricDefinition[] = [
  { type: 'Accuracy', params: none, build: () => new Accuracy() },
  {
    type: 'ROCAUC',
    params: z.strictObject({ nThresholds: num.intAtLeast(2).optional(), posVal: label.optional() }),
    positional: ['nThresholds', 'posVal'],
    build: (p) => new ROCAUC({ nThresholds: p.nThresholds as number | undefined, posVal: p.posVal as ClassLabel | undefined }),
  },
  { type: 'LogLoss', params: none, build: () => new LogLoss() },
  { type: 'Precision', params: posVal, build: (p) => new Precision(withPosVal(p)) },
  { type: 'Recall', params: posVal, build: (p) => new Recall(withPosVal(p)) },
  { type: 'F1', params: posVal, build: (p) => new F1(withPosVal(p)) },
  {
    type: 'FBeta',
    params: beta.extend({ posVal: label.optional() }),
    required: ['beta'],
    positional: ['beta'],
    build: (p) => new FBeta({ beta: p.beta as number, ...withPosVal(p) }),
  },
  { type: 'MacroF1', params: none, build: () => new MacroF1() },
  {
    type: 'MacroFBeta',
    params: beta,
    required: ['beta'],
    positional: ['beta'],
    build: (p) => new MacroFBeta({ beta: p.beta as number }),
  },
  { type: 'MAE', params: none, build: () => new MAE() },
  { type: 'MSE', params: none, build: () => new MSE() },
  { type: 'RMSE', params: none, build: () => new RMSE() },
  { type: 'R2', params: none, build: () => new R2() },
  {
    type: 'Rolling',
    params: z.strictObject({ windowSize: num.positiveInt() }),
    required: ['metric', 'windowSize'],
    nested: ['metric'],
    positional: ['metric', 'windowSize'],
    build: (p, nested) => new Rolling({ metric: nested.metric, windowSize: p.windowSize as number }),
  },
];

const byType = new Map(metricDefinitions.map((d) => [d.type, d]));

/** The metric names a spec may use, in catalog order. */
export const knownMetrics: readonly string[] = metricDefinitions.map((d) => d.type);

/** A metric name, spec or snapshot that cannot be built; the message says what and lists the known metrics. */
export class MetricSpecError extends Error {
  constructor(readonly problem: string) {
    super(`${problem}. Known metrics: ${knownMetrics.join(', ')}; any of them over a window: Rolling(<metric>, <windowSize>)`);
    this.name = 'MetricSpecError';
  }
}

/** The definition of a metric type; `where` prefixes the error (a path such as `Rolling.metric: `). */
export function definitionOf(type: string, where: string): MetricDefinition {
  const definition = byType.get(type);
  if (definition === undefined) throw new MetricSpecError(`${where}"${type}" is not a known metric`);
  return definition;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Builds a metric from its spec, `{ type, ...params }` as `toSpec()` gives it, e.g.
 * `{ type: 'Rolling', metric: { type: 'ROCAUC' }, windowSize: 1000 }`. Throws a MetricSpecError.
 */
export function metricFromSpec(spec: unknown, path = ''): Metric {
  const where = path === '' ? '' : `${path}: `;
  if (!isObject(spec) || typeof spec.type !== 'string') {
    throw new MetricSpecError(`${where}a metric spec must be an object with a string "type"`);
  }
  const { type, ...rest } = spec;
  const definition = definitionOf(type, where);
  for (const key of definition.required ?? []) {
    if (rest[key] === undefined) throw new MetricSpecError(`${where}${type}.${key} is required`);
  }
  const nested: Record<string, Metric> = {};
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (definition.nested?.includes(key)) nested[key] = metricFromSpec(value, `${path === '' ? '' : `${path}.`}${type}.${key}`);
    else plain[key] = value;
  }
  const parsed = definition.params.safeParse(plain);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => `${type}.${key} is not a parameter of ${type}`).join('; ')
        : `${type}.${issue.path.map(String).join('.')} ${issue.message}`,
    );
    throw new MetricSpecError(`${where}${problems.join('; ')}`);
  }
  try {
    return definition.build(parsed.data, nested);
  } catch (error) {
    throw new MetricSpecError(`${where}${type}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Rebuilds a metric from `snapshotOf(metric)`, state included, so scoring carries on exactly.
 *
 * @example
 * const mae = new metrics.MAE();
 * mae.update(3, 2.5);
 * mae.update(-0.5, 0);
 * const restored = metrics.restoreMetric(base.snapshotOf(mae));
 * restored.update(2, 2);
 * String(restored); // => MAE: 0.333333 (River's MAE docstring reads 0.333 after these three pairs)
 */
export function restoreMetric(snapshot: Snapshot): Metric {
  if (!isObject(snapshot) || typeof snapshot.kind !== 'string') {
    throw new MetricSpecError('a metric snapshot must be an object with a string "kind"');
  }
  if (snapshot.schemaVersion !== SCHEMA_VERSION) {
    throw new MetricSpecError(`metric snapshot schemaVersion ${String(snapshot.schemaVersion)} is not ${SCHEMA_VERSION}`);
  }
  const metric = metricFromSpec({ ...snapshot.params, type: snapshot.kind });
  try {
    metric.setState(snapshot.state);
  } catch (error) {
    throw new MetricSpecError(`${snapshot.kind} state: ${error instanceof Error ? error.message : String(error)}`);
  }
  return metric;
}
