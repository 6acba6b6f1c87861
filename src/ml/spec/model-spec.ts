import { Classifier } from '../base/classifier.js';
import { Regressor } from '../base/regressor.js';
import type { Json, JsonObject, Task } from '../base/types.js';
import { Pipeline } from '../compose/pipeline.js';
import { definitions } from './catalog.js';
import type { Role, StepDefinition } from './definition.js';

/** One problem with a spec, at a path like `steps[1].optimizer.lr`. */
export interface SpecIssue {
  path: ReadonlyArray<string | number>;
  message: string;
}

/** A model spec that does not validate; `message` lists every issue, each with its path. */
export class SpecError extends Error {
  constructor(readonly issues: readonly SpecIssue[]) {
    super(issues.map(formatIssue).join('; '));
    this.name = 'SpecError';
  }
}

export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

function formatIssue(issue: SpecIssue): string {
  const where = formatPath(issue.path);
  return where === '' ? issue.message : `${where} ${issue.message}`;
}

const byType = new Map<string, StepDefinition>(definitions.map((d) => [d.type, d]));

/** Every registered step type, by role. */
export function typesOf(role: Role): string[] {
  return definitions.filter((d) => d.role === role).map((d) => d.type);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ROLE_NAMES: Record<Role, string> = {
  transformer: 'a transformer',
  classifier: 'a classifier',
  regressor: 'a regressor',
  optimizer: 'an optimizer',
  loss: 'a loss',
  initializer: 'an initializer',
};

/** Validates one step spec against the roles allowed at its place and builds it. */
function buildStep(
  value: unknown,
  roles: readonly Role[],
  path: Array<string | number>,
  issues: SpecIssue[],
): unknown {
  if (!isObject(value)) {
    issues.push({ path, message: 'must be an object with a "type"' });
    return undefined;
  }
  const type = value.type;
  if (typeof type !== 'string') {
    issues.push({ path: [...path, 'type'], message: 'must be a string naming a River class' });
    return undefined;
  }
  const definition = byType.get(type);
  const allowed = roles.flatMap(typesOf);
  if (definition === undefined || !roles.includes(definition.role)) {
    const what = roles.map((r) => ROLE_NAMES[r]).join(' or ');
    const known = definition === undefined ? `is not a known type` : `is not ${what}`;
    issues.push({ path: [...path, 'type'], message: `"${type}" ${known} (expected one of: ${allowed.join(', ')})` });
    return undefined;
  }

  const { type: _type, ...rest } = value;
  const nestedRoles = definition.nested ?? {};
  const plain: Record<string, unknown> = {};
  const nested: Record<string, unknown> = {};
  const before = issues.length;
  for (const [key, item] of Object.entries(rest)) {
    const role = nestedRoles[key];
    if (role === undefined) plain[key] = item;
    else nested[key] = buildStep(item, [role], [...path, key], issues);
  }
  const parsed = definition.params.safeParse(plain);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          issues.push({ path: [...path, ...issue.path.map(pathPart), key], message: `is not a parameter of ${type}` });
        }
      } else {
        issues.push({ path: [...path, ...issue.path.map(pathPart)], message: issue.message });
      }
    }
  }
  if (issues.length > before || !parsed.success) return undefined;
  try {
    return definition.build(parsed.data, nested);
  } catch (error) {
    issues.push({ path, message: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}

function pathPart(part: PropertyKey): string | number {
  return typeof part === 'number' ? part : String(part);
}

/**
 * Validates a model spec (one step, or `{ "steps": [...] }`) and builds it as a Pipeline.
 * Throws a SpecError naming every problem with its path.
 *
 * @example
 * const model = spec.buildModel({ steps: [{ type: 'StandardScaler' }, { type: 'LogisticRegression', l2: 0.01 }] });
 * model.task; // => binary
 * let message = '';
 * try {
 *   spec.buildModel({ type: 'LogisticRegression', optimizer: { type: 'SGD', lr: 0 } });
 * } catch (error) {
 *   message = String(error);
 * }
 * message; // => SpecError: optimizer.lr must be > 0
 */
export function buildModel(spec: unknown): Pipeline {
  const issues: SpecIssue[] = [];
  let steps: unknown[];
  let prefix: Array<string | number>;
  if (isObject(spec) && 'steps' in spec) {
    const { steps: rawSteps, ...extra } = spec;
    for (const key of Object.keys(extra)) issues.push({ path: [key], message: 'is not allowed beside "steps"' });
    if (!Array.isArray(rawSteps) || rawSteps.length === 0) {
      throw new SpecError([...issues, { path: ['steps'], message: 'must be a non-empty array of steps' }]);
    }
    steps = rawSteps;
    prefix = ['steps'];
  } else {
    steps = [spec];
    prefix = [];
  }

  const built = steps.map((step, i) => {
    const last = i === steps.length - 1;
    const roles: Role[] = last ? ['classifier', 'regressor'] : ['transformer'];
    const path = prefix.length === 0 ? [] : [...prefix, i];
    if (last && isObject(step) && typeof step.type === 'string' && byType.get(step.type)?.role === 'transformer') {
      issues.push({ path, message: `the last step must be a classifier or a regressor, not the transformer ${step.type}` });
      return undefined;
    }
    return buildStep(step, roles, path, issues);
  });
  if (issues.length > 0) throw new SpecError(issues);
  return new Pipeline(built as Array<Classifier | Regressor>);
}

/** The task a spec's model performs: it follows from the final estimator. */
export function taskOf(spec: unknown): Task {
  return buildModel(spec).task;
}

/** The complete, default-filled spec of a model: what users see and what versions record. */
export function normalizedSpec(model: Pipeline): Json {
  const spec = model.toSpec() as JsonObject;
  const steps = spec.steps as JsonObject[];
  return steps.length === 1 ? steps[0] : { steps };
}
