import { createHash } from 'node:crypto';
import { argmax } from '../ml/base/classifier.js';
import { canonicalJson } from '../ml/base/canonical-json.js';
import { asArray, asNumber, asObject, snapshotOf, type Snapshot } from '../ml/base/snapshot.js';
import type { ClassLabel, Json, Label, Probabilities } from '../ml/base/types.js';
import type { Pipeline } from '../ml/compose/pipeline.js';
import { predictForMetrics, scorePrediction, type ScoredPrediction } from '../ml/evaluate/progressive-validation.js';
import type { Metric } from '../ml/metrics/metric.js';
import { parseMetric } from '../ml/metrics/parse.js';
import { buildModel } from '../ml/spec/model-spec.js';
import type { LogEvent, MetricValue, ServedPrediction } from '../store/types.js';

/**
 * What a model's log folds into: the estimator, its live metrics (progressive validation over
 * every label) and how many labels it has learnt. Versions persist exactly this, canonically,
 * so the same spec and the same events always give the same bytes and the same sha256.
 */
export interface ModelState {
  model: Pipeline;
  metrics: Metric[];
  samplesLearned: number;
}

/** A fresh, untrained state. Throws SpecError / MetricSpecError for bad input. */
export function createState(spec: unknown, metricNames: readonly string[]): ModelState {
  return { model: buildModel(spec), metrics: metricNames.map(parseMetric), samplesLearned: 0 };
}

/** The canonical JSON of a state and its sha256: what a version stores. */
export function serializeState(state: ModelState): { state: string; sha256: string } {
  const json = canonicalJson({
    metrics: state.metrics.map((m) => snapshotOf(m) as unknown as Json),
    model: snapshotOf(state.model) as unknown as Json,
    samplesLearned: state.samplesLearned,
  });
  return { state: json, sha256: sha256(json) };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Rebuilds a state from a version's canonical JSON (the spec travels inside the snapshot). */
export function restoreState(json: string, metricNames: readonly string[]): ModelState {
  const parsed = asObject(JSON.parse(json) as Json, 'version state');
  const snapshot = asObject(parsed.model ?? null, 'version state.model') as unknown as Snapshot;
  const model = buildModel(snapshot.params);
  model.setState(snapshot.state);
  const metricSnapshots = asArray(parsed.metrics, 'version state.metrics');
  const metrics = metricNames.map(parseMetric);
  if (metricSnapshots.length !== metrics.length) throw new TypeError('version state: wrong number of metrics');
  metrics.forEach((m, i) => m.setState((metricSnapshots[i] as unknown as Snapshot).state));
  return { model, metrics, samplesLearned: asNumber(parsed.samplesLearned, 'version state.samplesLearned') };
}

export function metricValues(metrics: readonly Metric[]): MetricValue[] {
  return metrics.map((m) => ({ name: m.name, value: m.get(), text: m.toString() }));
}

/** A served prediction as metrics consume it. */
export function scoredFromServed(served: ServedPrediction): ScoredPrediction {
  const probabilities: Probabilities = new Map<ClassLabel, number>(served.probabilities ?? []);
  const label: Label | null = served.label ?? (served.probabilities ? argmax(probabilities) : served.value);
  return { label, probabilities };
}

/**
 * Applies one learn event: score the prediction (the one served, for a late label; otherwise
 * the model's own before learning, as progressive validation does), then learn.
 */
export function applyLearn(state: ModelState, event: Extract<LogEvent, { kind: 'learn' }>): void {
  const prediction =
    event.served !== null ? scoredFromServed(event.served) : predictForMetrics(state.model, state.metrics, event.features);
  scorePrediction(state.metrics, event.label, prediction);
  state.model.learnOne(event.features, event.label);
  state.samplesLearned++;
}
