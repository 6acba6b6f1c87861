import type { Features, Label, Task } from '../ml/base/types.js';
import { DomainError } from './errors.js';
import type { Limits } from './limits.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a features object from a client: flat, within limits, values finite numbers, booleans,
 * nulls (missing) or strings (categories, only for models that take them). Returns a copy, so
 * nothing a client holds is aliased by a model or the log.
 */
export function parseFeatures(raw: unknown, limits: Limits, acceptsCategories: boolean, where = 'features'): Features {
  if (!isPlainObject(raw)) throw new DomainError('INVALID_FEATURES', `${where} must be an object of feature name → value`);
  const out: Record<string, number | string | boolean | null> = {};
  let count = 0;
  for (const name in raw) {
    if (++count > limits.maxFeatures) {
      throw new DomainError('LIMIT_EXCEEDED', `${where} has more than ${limits.maxFeatures} features`);
    }
    if (name.length === 0 || name.length > limits.maxFeatureNameLength) {
      throw new DomainError('INVALID_FEATURES', `${where}: feature names must have 1 to ${limits.maxFeatureNameLength} characters`);
    }
    // Models keep state in plain objects keyed by feature name, where `__proto__` would set the
    // prototype instead of a key: the feature would vanish from saved versions, so a restored
    // model would predict differently from the learner's and audits would fail.
    if (name === '__proto__') throw new DomainError('INVALID_FEATURES', `${where}: "__proto__" cannot be a feature name`);
    const value = raw[name];
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new DomainError('INVALID_FEATURES', `${where}.${name} must be a finite number`);
    } else if (typeof value === 'string') {
      if (value.length > limits.maxStringLength) {
        throw new DomainError('INVALID_FEATURES', `${where}.${name} is longer than ${limits.maxStringLength} characters`);
      }
      const asNumber = Number(value);
      if (value.trim() !== '' && Number.isNaN(asNumber) === false && !Number.isFinite(asNumber)) {
        throw new DomainError('INVALID_FEATURES', `${where}.${name} must be a finite number`);
      }
      if (/^[+-]?(nan|inf|infinity)$/i.test(value.trim())) {
        throw new DomainError('INVALID_FEATURES', `${where}.${name} must be a finite number`);
      }
      if (!acceptsCategories) {
        throw new DomainError(
          'INVALID_FEATURES',
          `${where}.${name} is a string, but this model only takes numbers (add a OneHotEncoder step for categories)`,
        );
      }
    } else if (value !== null && typeof value !== 'boolean') {
      throw new DomainError('INVALID_FEATURES', `${where}.${name} must be a number, a string, a boolean or null`);
    }
    // A plain assignment is safe: "__proto__", the one name it would mishandle, is refused above.
    out[name] = value;
  }
  return out;
}

/** Checks a label against the model's task; binary labels become booleans. */
export function parseLabel(raw: unknown, task: Task, limits: Limits, where = 'label'): Label {
  switch (task) {
    case 'binary': {
      if (typeof raw === 'boolean') return raw;
      if (raw === 1 || raw === 0) return raw === 1;
      if (typeof raw === 'string') {
        const text = raw.trim().toLowerCase();
        if (text === 'true' || text === '1') return true;
        if (text === 'false' || text === '0') return false;
      }
      throw new DomainError('INVALID_LABEL', `${where} must be true or false (or 1/0) for a binary model`);
    }
    case 'regression':
      if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
      throw new DomainError('INVALID_LABEL', `${where} must be a finite number for a regression model`);
    case 'multiclass':
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
      if (typeof raw === 'string' && raw.length > 0 && raw.length <= limits.maxStringLength) return raw;
      throw new DomainError(
        'INVALID_LABEL',
        `${where} must be a class: a non-empty string (at most ${limits.maxStringLength} characters), a finite number or a boolean`,
      );
  }
}
