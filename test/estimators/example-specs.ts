/**
 * What the generic estimator checks need to know beyond the catalog: example specs for types
 * whose bare `{ type }` cannot be built, extra configurations worth checking, and the checks an
 * estimator skips with River's reason. Everything else is discovered from `definitions`.
 */
import type { JsonObject } from '../../src/ml/base/types.js';

/**
 * Specs to check for a type instead of (or besides) its bare `{ type }`. A type with a nested
 * classifier/regressor/transformer parameter that has no default gets LogisticRegression /
 * LinearRegression / StandardScaler filled in automatically; list it here only when that is not
 * enough or when another configuration matters (River's test_estimators.py also checks
 * `OneVsRestClassifier(PAClassifier())`).
 */
export const exampleSpecs: Readonly<Record<string, readonly JsonObject[]>> = {
  OneVsRestClassifier: [
    { type: 'OneVsRestClassifier', classifier: { type: 'LogisticRegression' } },
    { type: 'OneVsRestClassifier', classifier: { type: 'PAClassifier' } },
  ],
};

/** The checks the suite runs; skips name them. */
export type CheckName =
  | 'roundTrip'
  | 'restoreOverUsed'
  | 'predictIsPure'
  | 'inputsNotMutated'
  | 'emergingFeatures'
  | 'disappearingFeatures'
  | 'missingFeatures'
  | 'shuffleFeatures'
  | 'clone'
  | 'predictBeforeLearning'
  | 'specRoundTrip'
  | 'finiteState'
  | 'determinism'
  | 'boundedMemory'
  | 'probabilities';

/**
 * Checks a type skips, each with why: River's own `_unit_test_skips` carry over here, and the
 * bounded-memory check may be skipped where River's model grows by design. None is needed yet:
 * even HoeffdingTreeClassifier's state stops growing on these short cycled streams.
 *
 * @example
 * { SomeTree: { boundedMemory: 'keeps splitting; River bounds it only by max_size (MB)' } }
 */
export const skips: Readonly<Record<string, Partial<Record<CheckName, string>>>> = {};
