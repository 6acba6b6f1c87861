import type { Logger } from 'pino';
import { argmax } from '../ml/base/classifier.js';
import type { Features, Json, Label } from '../ml/base/types.js';
import { defaultMetrics, MetricSpecError, parseMetric } from '../ml/metrics/parse.js';
import { normalizedSpec, SpecError } from '../ml/spec/model-spec.js';
import { auditVersion, type AuditResult } from '../learner/audit.js';
import type { LearnerMessage, ModelProgress } from '../learner/messages.js';
import { createState, metricValues, serializeState, sha256 } from '../learner/model-state.js';
import type {
  AppendOutcome,
  MetricValue,
  ModelRecord,
  NewEvent,
  ServedPrediction,
  Store,
  VersionRecord,
  VersionSummary,
} from '../store/types.js';
import { DomainError } from './errors.js';
import { type EventSink, GroupCommitter } from './group-commit.js';
import { parseFeatures, parseLabel } from './inputs.js';
import type { LearnerLink } from './learner-link.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import { ModelRegistry, type ServedModel } from './model-registry.js';
import { PredictionLog } from './prediction-log.js';

export interface PredictionResult {
  id: string;
  model: string;
  version: number;
  label: Label | null;
  probabilities: Record<string, number> | null;
  value: number | null;
}

export interface LearnInput {
  features?: unknown;
  label: unknown;
  predictionId?: string | null;
  key?: string | null;
}

export interface LearnAck {
  eventId: number;
  applied: boolean;
  /** Labels the learner had applied when this returned, as this process last heard. */
  samplesLearned: number;
  version: number;
  metrics: MetricValue[];
  duplicate: boolean;
}

export interface LearnManyAck {
  eventIds: number[];
  applied: boolean;
  samplesLearned: number;
  version: number;
  metrics: MetricValue[];
  duplicates: number;
}

export interface ModelStatus {
  samplesLearned: number;
  lastEventId: number;
  metrics: MetricValue[];
}

export interface ServiceOptions {
  store: Store;
  /**
   * Where events are appended and predictions recorded; defaults to `store`. A server process
   * sends events to the supervisor's one writer and predictions to its own writer thread, so no
   * commit (nor its fsync) happens on its event loop.
   */
  writer?: EventSink & Pick<Store, 'logPredictions'>;
  link: LearnerLink;
  log: Logger;
  limits?: Partial<Limits>;
  /** How long `wait: true` waits for the learner. @default 10000 */
  waitTimeoutMs?: number;
}

type Waiter = { eventId: number; resolve: () => void };

/**
 * Everything a server process does, independent of GraphQL: predict from memory, append labels
 * durably, wait for the learner, and answer about models and versions. Resolvers only translate.
 */
export class EddyService {
  readonly registry: ModelRegistry;
  readonly limits: Limits;
  private readonly predictions: PredictionLog;
  private readonly committer: GroupCommitter;
  private readonly status = new Map<string, ModelStatus>();
  private cursor = 0;
  private cursorWaiters: Waiter[] = [];
  private readonly versionWaiters = new Map<string, Array<{ eventId: number; resolve: (v: VersionSummary) => void }>>();
  /** The latest versions announced per model (newest last): one may arrive before the commit's own reply does. */
  private readonly announced = new Map<string, VersionSummary[]>();
  private readonly listeners = new Set<(message: LearnerMessage) => void>();
  private readonly waitTimeoutMs: number;
  /** While the database refuses commits, one error line a second (with a count), not one per request. */
  private commitErrorLoggedAt = 0;
  private commitErrorsUnlogged = 0;

  constructor(private readonly o: ServiceOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...o.limits };
    this.registry = new ModelRegistry(o.store, o.log);
    const writer = o.writer ?? o.store;
    this.predictions = new PredictionLog(
      { logPredictions: (p) => writer.logPredictions(p), getPrediction: (id) => o.store.getPrediction(id) },
      o.log,
    );
    this.committer = new GroupCommitter(writer, o.link.nudge?.bind(o.link));
    this.waitTimeoutMs = o.waitTimeoutMs ?? 10_000;
    o.link.onMessage((m) => this.onLearnerMessage(m));
  }

  /** Learner announcements, for subscriptions. */
  subscribe(listener: (message: LearnerMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private onLearnerMessage(message: LearnerMessage): void {
    if (message.type === 'progress') {
      for (const m of message.models) this.status.set(m.model, statusOf(m));
      this.cursor = Math.max(this.cursor, message.cursor);
      if (this.cursorWaiters.length > 0) {
        const still: Waiter[] = [];
        for (const w of this.cursorWaiters) (w.eventId <= this.cursor ? w.resolve() : still.push(w));
        this.cursorWaiters = still;
      }
    } else if (message.type === 'version') {
      void this.registry.onVersion(message.model, message.version.number).catch((error: unknown) => {
        this.o.log.error({ err: error, model: message.model }, 'could not load the new version');
      });
      const recent = this.announced.get(message.model) ?? [];
      recent.push(message.version);
      if (recent.length > 16) recent.shift();
      this.announced.set(message.model, recent);
      const waiting = this.versionWaiters.get(message.model);
      if (waiting !== undefined) {
        const still = waiting.filter((w) => {
          if (w.eventId > message.version.lastEventId) return true;
          w.resolve(message.version);
          return false;
        });
        this.versionWaiters.set(message.model, still);
      }
    }
    for (const l of this.listeners) l(message);
  }

  // ---- models ----

  async createModel(name: string, spec: unknown, metricNames?: readonly string[] | null) {
    if (name.length === 0 || name.length > 128 || !/^[A-Za-z0-9_.:-]+$/.test(name)) {
      throw new DomainError('BAD_USER_INPUT', 'name must be 1 to 128 characters of letters, digits, _ . : -');
    }
    let state;
    try {
      state = createState(spec, []);
    } catch (error) {
      if (error instanceof SpecError) throw new DomainError('INVALID_SPEC', error.message, { issues: error.issues });
      throw error;
    }
    const task = state.model.task;
    const names = metricNames && metricNames.length > 0 ? metricNames : defaultMetrics(task);
    const metrics = names.map((text) => {
      try {
        const metric = parseMetric(text);
        if (!metric.tasks.includes(task)) {
          throw new DomainError('INVALID_METRIC', `${metric.name} does not suit a ${task} model`);
        }
        return metric;
      } catch (error) {
        if (error instanceof MetricSpecError) throw new DomainError('INVALID_METRIC', error.message);
        throw error;
      }
    });
    state.metrics = metrics;
    const initial = serializeState(state);
    const outcome = await this.o.store.createModel(
      { name, spec: normalizedSpec(state.model), task, metrics: metrics.map((m) => m.name) },
      {
        parent: null,
        reason: 'created',
        rollbackOf: null,
        samplesLearned: 0,
        lastEventId: 0,
        state: initial.state,
        sha256: initial.sha256,
        metrics: metricValues(metrics),
      },
    );
    if (outcome.status === 'exists') throw new DomainError('MODEL_EXISTS', `a model named ${name} already exists`);
    return outcome.model;
  }

  async model(name: string): Promise<ServedModel> {
    const served = await this.registry.get(name);
    if (served === undefined) throw new DomainError('MODEL_NOT_FOUND', `no model named ${name}`);
    return served;
  }

  async findModel(name: string): Promise<ModelRecord | undefined> {
    return (await this.registry.get(name))?.record;
  }

  listModels(): Promise<ModelRecord[]> {
    return this.o.store.listModels();
  }

  /** Live figures: from the learner's announcements, else from the newest served version. */
  statusOf(served: ServedModel): ModelStatus {
    return (
      this.status.get(served.record.name) ?? {
        samplesLearned: served.state.samplesLearned,
        lastEventId: 0,
        metrics: metricValues(served.state.metrics),
      }
    );
  }

  async lag(served: ServedModel): Promise<number> {
    const status = this.status.get(served.record.name);
    const version = status ? undefined : await this.o.store.latestVersion(served.record.id);
    return this.o.store.countEventsAfter(served.record.id, status?.lastEventId ?? version?.lastEventId ?? 0);
  }

  async versions(served: ServedModel, first: number, before?: number | null): Promise<VersionSummary[]> {
    if (!Number.isInteger(first) || first < 1 || first > 1000) {
      throw new DomainError('BAD_USER_INPUT', 'first must be an integer from 1 to 1000');
    }
    return this.o.store.listVersions(served.record.id, first, before ?? undefined);
  }

  async latestVersionNumber(served: ServedModel): Promise<number> {
    return served.version;
  }

  // ---- predict ----

  /** Synchronous (no promise) when the newest version is asked for and already in memory: the hot path. */
  predict(name: string, rawFeatures: unknown, version?: number | null): PredictionResult | Promise<PredictionResult> {
    return then(this.servedNow(name, version), (served) => this.predictFrom(served, rawFeatures));
  }

  predictMany(name: string, rawFeatures: readonly unknown[], version?: number | null): PredictionResult[] | Promise<PredictionResult[]> {
    if (rawFeatures.length > this.limits.maxBatch) {
      throw new DomainError('LIMIT_EXCEEDED', `at most ${this.limits.maxBatch} feature objects per predictMany`);
    }
    return then(this.servedNow(name, version), (served) => this.predictManyFrom(served, rawFeatures));
  }

  /** The version to predict from: from memory when it is the newest and loaded, else looked up. */
  private servedNow(name: string, version?: number | null): ServedModel | Promise<ServedModel> {
    const served = version === undefined || version === null ? this.registry.peek(name) : undefined;
    return served ?? this.servedAt(name, version);
  }

  private predictFrom(served: ServedModel, rawFeatures: unknown): PredictionResult {
    return this.predictWith(served, parseFeatures(rawFeatures, this.limits, served.state.model.acceptsCategories));
  }

  private predictManyFrom(served: ServedModel, rawFeatures: readonly unknown[]): PredictionResult[] {
    const categories = served.state.model.acceptsCategories;
    // Every feature object is checked before any prediction is served (and logged).
    const all = rawFeatures.map((f, i) => parseFeatures(f, this.limits, categories, `features[${i}]`));
    return all.map((f) => this.predictWith(served, f));
  }

  private async servedAt(name: string, version?: number | null): Promise<ServedModel> {
    if (version === undefined || version === null) return this.model(name);
    await this.model(name);
    const served = await this.registry.getVersion(name, version);
    if (served === undefined) throw new DomainError('VERSION_NOT_FOUND', `${name} has no version ${version}`);
    return served;
  }

  private predictWith(served: ServedModel, features: Features): PredictionResult {
    const model = served.state.model;
    const output: ServedPrediction = { label: null, probabilities: null, value: null };
    let probabilities: Record<string, number> | null = null;
    if (model.isClassifier) {
      const proba = model.predictProbaOne(features);
      output.probabilities = [...proba];
      output.label = argmax(proba);
      probabilities = {};
      for (const [label, p] of proba) probabilities[String(label)] = p;
    } else {
      const value = model.predictOne(features) as number;
      output.value = value;
      output.label = value;
    }
    const id = this.predictions.add({
      modelId: served.record.id,
      version: served.version,
      features,
      output,
      createdAt: Date.now(),
    });
    return {
      id,
      model: served.record.name,
      version: served.version,
      label: output.label,
      probabilities,
      value: output.value,
    };
  }

  async prediction(id: string): Promise<PredictionResult | undefined> {
    // Served a moment ago by another process, it may still be on its way to the database.
    const p = await this.findPrediction(id, [0, 25, 50, 100]);
    if (p === undefined) return undefined;
    const record = await this.o.store.getModelById(p.modelId);
    if (record === undefined) return undefined;
    const probabilities = p.output.probabilities && Object.fromEntries(p.output.probabilities.map(([l, v]) => [String(l), v]));
    return { id, model: record.name, version: p.version, label: p.output.label, probabilities, value: p.output.value };
  }

  // ---- learn ----

  /**
   * The event for one example. Without a predictionId it needs nothing but the request, and is
   * built without a promise (learnMany builds a thousand); a late label first finds its prediction.
   */
  private toEvent(served: ServedModel, input: LearnInput, where: string): NewEvent | Promise<NewEvent> {
    const record = served.record;
    const label = parseLabel(input.label, record.task, this.limits, `${where}label`);
    if (input.key !== undefined && input.key !== null && (input.key.length === 0 || input.key.length > 256)) {
      throw new DomainError('BAD_USER_INPUT', `${where}key must have 1 to 256 characters`);
    }
    const key = input.key ?? null;
    const predictionId = input.predictionId ?? null;
    if (predictionId === null) {
      if (input.features === undefined || input.features === null) {
        throw new DomainError('INVALID_FEATURES', `${where}features are required unless predictionId names a prediction`);
      }
      const features = this.featuresOf(served, input.features, where);
      return { modelId: record.id, kind: 'learn', features, label, predictionId, served: null, key };
    }
    // Checked before the lookup, so bad features fail the same way with or without a prediction.
    const given = input.features === undefined || input.features === null ? null : this.featuresOf(served, input.features, where);
    return this.findPrediction(predictionId).then((prediction): NewEvent => {
      if (prediction === undefined || prediction.modelId !== record.id) {
        throw new DomainError('PREDICTION_NOT_FOUND', `${where}predictionId ${predictionId} names no prediction of ${record.name}`);
      }
      return { modelId: record.id, kind: 'learn', features: given ?? prediction.features, label, predictionId, served: prediction.output, key };
    });
  }

  private featuresOf(served: ServedModel, raw: unknown, where: string): Features {
    return parseFeatures(raw, this.limits, served.state.model.acceptsCategories, `${where}features`);
  }

  /**
   * A prediction served by another process reaches the database within a few tens of
   * milliseconds (it is flushed in batches): look again for up to about a second before saying
   * it does not exist.
   */
  private async findPrediction(id: string, delaysMs: readonly number[] = [0, 25, 50, 100, 200, 300, 400]) {
    for (const delayMs of delaysMs) {
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      const found = await this.predictions.get(id);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  private async commit(batch: NewEvent[], urgent: boolean): Promise<AppendOutcome[]> {
    let outcomes: AppendOutcome[];
    try {
      outcomes = await this.committer.append(batch, urgent);
    } catch (error) {
      if (Date.now() - this.commitErrorLoggedAt >= 1000) {
        this.o.log.error({ err: error, alsoFailedSinceLastLine: this.commitErrorsUnlogged }, 'could not commit events');
        this.commitErrorLoggedAt = Date.now();
        this.commitErrorsUnlogged = 0;
      } else this.commitErrorsUnlogged++;
      throw new DomainError('UNAVAILABLE', 'the database cannot take writes right now; nothing was acknowledged, retry later');
    }
    const refused = outcomes.find((o) => o.status === 'already-labelled');
    if (refused !== undefined && refused.status === 'already-labelled') {
      throw new DomainError('ALREADY_LABELLED', `prediction ${refused.predictionId} already has a label`);
    }
    return outcomes;
  }

  async learn(name: string, input: LearnInput, wait: boolean): Promise<LearnAck> {
    const served = await this.model(name);
    const event = await this.toEvent(served, input, '');
    const [outcome] = await this.commit([event], wait);
    const eventId = (outcome as { id: number }).id;
    const applied = await this.maybeWait(eventId, wait);
    const current = this.registry.peek(name) ?? served;
    const status = this.statusOf(current);
    return {
      eventId,
      applied,
      samplesLearned: status.samplesLearned,
      version: current.version,
      metrics: status.metrics,
      duplicate: outcome.status === 'duplicate',
    };
  }

  async learnMany(name: string, examples: readonly LearnInput[], wait: boolean): Promise<LearnManyAck> {
    if (examples.length > this.limits.maxBatch) {
      throw new DomainError('LIMIT_EXCEEDED', `at most ${this.limits.maxBatch} examples per learnMany`);
    }
    const served = await this.model(name);
    const events: NewEvent[] = [];
    for (let i = 0; i < examples.length; i++) {
      const event = this.toEvent(served, examples[i], `examples[${i}].`);
      events.push(event instanceof Promise ? await event : event);
    }
    const outcomes = events.length > 0 ? await this.commit(events, wait) : [];
    const eventIds = outcomes.map((o) => (o as { id: number }).id);
    const applied = await this.maybeWait(Math.max(0, ...eventIds), wait);
    const current = this.registry.peek(name) ?? served;
    return {
      eventIds,
      applied,
      version: current.version,
      samplesLearned: this.statusOf(current).samplesLearned,
      metrics: this.statusOf(current).metrics,
      duplicates: outcomes.filter((o) => o.status === 'duplicate').length,
    };
  }

  private async maybeWait(eventId: number, wait: boolean): Promise<boolean> {
    if (eventId <= this.cursor) return true;
    if (!wait) return false;
    await this.waitFor<void>(
      (resolve) => this.cursorWaiters.push({ eventId, resolve: () => resolve() }),
      `the learner has not applied event ${eventId} yet; it is committed and will be applied`,
    );
    return true;
  }

  private async waitFor<T>(register: (resolve: (value: T) => void) => void, timeoutMessage: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new DomainError('TIMEOUT', timeoutMessage)), this.waitTimeoutMs);
      register((value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
  }

  // ---- versions ----

  /** Appends a checkpoint or rollback request to the log and waits for the version it produces. */
  private async requestVersion(served: ServedModel, event: NewEvent): Promise<VersionSummary> {
    const [outcome] = await this.commit([event], true);
    const eventId = (outcome as { id: number }).id;
    const name = served.record.name;
    return this.waitFor<VersionSummary>((resolve) => {
      // The learner can apply the request and announce its version before this process hears
      // that the commit succeeded (both travel through the supervisor): look at what came first.
      const first = this.announced.get(name)?.find((v) => v.lastEventId >= eventId);
      if (first !== undefined) return resolve(first);
      const list = this.versionWaiters.get(name) ?? [];
      list.push({ eventId, resolve });
      this.versionWaiters.set(name, list);
    }, `the learner has not written the version yet; the request (event ${eventId}) is committed and will be applied`);
  }

  async checkpoint(name: string, reason: 'manual' | 'import' = 'manual'): Promise<VersionSummary> {
    const served = await this.model(name);
    return this.requestVersion(served, { modelId: served.record.id, kind: 'checkpoint', reason });
  }

  async rollback(name: string, version: number): Promise<VersionSummary> {
    const served = await this.model(name);
    const target = await this.o.store.getVersion(served.record.id, version);
    if (target === undefined) throw new DomainError('VERSION_NOT_FOUND', `${name} has no version ${version}`);
    if (sha256(target.state) !== target.sha256) {
      this.o.log.error({ model: name, version }, 'rollback refused: the version does not match its sha256 (tampered or corrupt)');
      throw new DomainError('VERSION_NOT_FOUND', `${name} version ${version} does not match its sha256 (tampered or corrupt); it cannot be restored`);
    }
    return this.requestVersion(served, { modelId: served.record.id, kind: 'rollback', targetVersion: version });
  }

  async audit(name: string, version: number): Promise<AuditResult> {
    const served = await this.model(name);
    const result = await auditVersion(this.o.store, served.record, version);
    if (result === undefined) throw new DomainError('VERSION_NOT_FOUND', `${name} has no version ${version}`);
    if (!result.ok) this.o.log.error({ model: name, ...result }, 'audit failed');
    return result;
  }

  async version(served: ServedModel, number: number): Promise<VersionRecord | undefined> {
    return this.o.store.getVersion(served.record.id, number);
  }

  /** Flushes buffered predictions (shutdown). */
  async close(): Promise<void> {
    await this.predictions.flush();
  }

  specOf(record: ModelRecord): Json {
    return record.spec;
  }
}

/** `f(value)`, without a promise unless `value` is one. */
function then<T, R>(value: T | Promise<T>, f: (value: T) => R): R | Promise<R> {
  return value instanceof Promise ? value.then(f) : f(value);
}

function statusOf(m: ModelProgress): ModelStatus {
  return { samplesLearned: m.samplesLearned, lastEventId: m.lastEventId, metrics: m.metrics };
}
