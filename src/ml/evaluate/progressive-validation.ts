import { argmax } from '../base/classifier.js';
import type { Features, Label, Probabilities } from '../base/types.js';
import type { Pipeline } from '../compose/pipeline.js';
import type { Metric } from '../metrics/metric.js';

/** What one predict-then-learn step predicted, as metrics saw it. */
export interface ScoredPrediction {
  /** The predicted label or value; null when the model could not predict yet. */
  label: Label | null;
  /** Class probabilities (classifiers that were asked for them; empty otherwise). */
  probabilities: Probabilities;
}

/** Whether the metrics are fed probabilities: River calls predict_proba_one when any metric needs them. */
export function needsProbabilities(model: Pipeline, metrics: readonly Metric[]): boolean {
  return model.isClassifier && metrics.some((m) => !m.requiresLabels);
}

/**
 * Updates every metric with one prediction, as River's `Metrics.update` does: probability
 * metrics get the probabilities, label metrics their argmax. An empty prediction updates nothing
 * (River's `if y_pred != {} and y_pred is not None`). Returns whether the metrics were updated.
 */
export function scorePrediction(metrics: readonly Metric[], y: Label, prediction: ScoredPrediction): boolean {
  if (prediction.label === null) return false;
  for (const metric of metrics) {
    metric.update(y, metric.requiresLabels ? prediction.label : prediction.probabilities);
  }
  return true;
}

const NO_PROBABILITIES: Probabilities = new Map();

/** Predicts `x` the way progressive validation does for these metrics, without changing the model. */
export function predictForMetrics(model: Pipeline, metrics: readonly Metric[], x: Features): ScoredPrediction {
  if (needsProbabilities(model, metrics)) {
    const probabilities = model.predictProbaOne(x);
    return { label: argmax(probabilities), probabilities };
  }
  return { label: model.predictOne(x), probabilities: NO_PROBABILITIES };
}

/**
 * Progressive validation (River's `evaluate.progressive_val_score`): for each sample, predict,
 * update the metrics unless the prediction is empty, then learn. Returns how many samples were
 * seen; the metrics hold the scores.
 *
 * @example
 * const model = spec.buildModel({ steps: [{ type: 'StandardScaler' }, { type: 'LogisticRegression' }] });
 * const accuracy = new metrics.Accuracy();
 * const rocAuc = new metrics.ROCAUC();
 * const logLoss = new metrics.LogLoss();
 * evaluate.progressiveValScore(datasets.phishing(), model, [accuracy, rocAuc, logLoss]); // => 1250
 * String(accuracy); // => Accuracy: 89.28% (River 0.22's progressive_val_score)
 * String(rocAuc); // => ROCAUC: 95.07%
 * logLoss.get(); // => 0.330112046439 (River: 0.3301120464388312)
 */
export function progressiveValScore(
  stream: Iterable<readonly [Features, Label]>,
  model: Pipeline,
  metrics: readonly Metric[],
): number {
  let samples = 0;
  for (const [x, y] of stream) {
    scorePrediction(metrics, y, predictForMetrics(model, metrics, x));
    model.learnOne(x, y);
    samples++;
  }
  return samples;
}
