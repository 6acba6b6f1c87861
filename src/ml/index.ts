/**
 * eddy's online-learning core, a TypeScript port of River 0.22 that reproduces River's numbers.
 * Each concern is a namespace, as in River, so a River user writes the names they know:
 * `preprocessing.StandardScaler`, `metrics.ROCAUC`, `evaluate.progressiveValScore`.
 *
 * The namespaces are River's modules, spelt as TypeScript namespaces are (camelCase):
 *
 * | eddy            | River            |
 * | --------------- | ---------------- |
 * | `base`          | `base` (plus the feature vectors and snapshots the port runs on) |
 * | `compose`       | `compose` (`Pipeline`; River's `a \| b` is `new compose.Pipeline([a, b])`) |
 * | `drift`         | `drift`          |
 * | `evaluate`      | `evaluate` (`progressive_val_score` is `progressiveValScore`) |
 * | `linear`        | `linear_model`   |
 * | `metrics`       | `metrics`        |
 * | `multiclass`    | `multiclass`     |
 * | `naiveBayes`    | `naive_bayes`    |
 * | `optim`         | `optim` (losses and initializers too: `optim.Log`, `optim.Zeros`) |
 * | `preprocessing` | `preprocessing`  |
 * | `spec`          | (none: JSON model specs, `spec.buildModel`, `spec.SpecError`) |
 * | `stats`         | `stats`          |
 * | `tree`          | `tree`           |
 *
 * Class names are River's verbatim and methods are River's verbs in camelCase (`learnOne`,
 * `predictProbaOne`, `transformOne`; `update` and `get` for stats and metrics). Every example in
 * the TSDoc of `src/ml` runs as a test (test/golden/examples.test.ts) with these namespaces in
 * scope, plus a `datasets` helper for River's bundled datasets; a line ending in `// => value`
 * asserts that value, River's own number where River has one.
 *
 * @example
 * const model = new compose.Pipeline([new preprocessing.StandardScaler(), new linear.LogisticRegression()]);
 * const metric = new metrics.ROCAUC();
 * evaluate.progressiveValScore(datasets.phishing(), model, [metric]); // => 1250
 * String(metric); // => ROCAUC: 95.07%
 *
 * @packageDocumentation
 */
export * as base from './base/index.js';
export * as compose from './compose/index.js';
export * as drift from './drift/index.js';
export * as evaluate from './evaluate/index.js';
export * as linear from './linear/index.js';
export * as metrics from './metrics/index.js';
export * as multiclass from './multiclass/index.js';
export * as naiveBayes from './naive-bayes/index.js';
export * as optim from './optim/index.js';
export * as preprocessing from './preprocessing/index.js';
export * as spec from './spec/index.js';
export * as stats from './stats/index.js';
export * as tree from './tree/index.js';
