export { Accuracy } from './accuracy.js';
export { BinaryMetric, type BinaryMetricOptions, precisionOf, recallOf } from './binary-metric.js';
export { ConfusionMatrix } from './confusion-matrix.js';
export { F1, type F1Options } from './f1.js';
export { FBeta, type FBetaOptions, fBetaScore } from './fbeta.js';
export { LogLoss } from './log-loss.js';
export { MacroF1 } from './macro-f1.js';
export { MacroFBeta, type MacroFBetaOptions } from './macro-fbeta.js';
export { MAE } from './mae.js';
export { MeanMetric } from './mean-metric.js';
export {
  formatPython,
  Metric,
  type MetricPrediction,
  probabilityOfTrue,
  pythonEquals,
  pythonRepr,
  pythonTruthy,
} from './metric.js';
export { MSE } from './mse.js';
export {
  defaultMetrics,
  knownMetrics,
  MetricSpecError,
  metricFromSpec,
  metricSuits,
  parseMetric,
  restoreMetric,
} from './parse.js';
export { Precision } from './precision.js';
export { R2 } from './r2.js';
export { Recall } from './recall.js';
export { RMSE } from './rmse.js';
export { ROCAUC, type ROCAUCOptions } from './roc-auc.js';
export { Rolling, type RollingOptions } from './rolling.js';
export { metricDefinitions, type MetricDefinition } from './specs.js';
