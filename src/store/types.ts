import type { Features, Json, Label, Task } from '../ml/base/types.js';

/** A metric's value as versions record it and the API shows it. */
export interface MetricValue {
  name: string;
  value: number;
  text: string;
}

export interface ModelRecord {
  id: number;
  name: string;
  spec: Json;
  task: Task;
  metrics: string[];
  createdAt: number;
}

/** A prediction as it was served, kept so a late label is scored against it. */
export interface ServedPrediction {
  label: Label | null;
  /** [class, probability] pairs in the model's order (classifiers). */
  probabilities: Array<[Label, number]> | null;
  value: number | null;
}

export interface PredictionRecord {
  id: string;
  modelId: number;
  version: number;
  features: Features;
  output: ServedPrediction;
  createdAt: number;
}

/**
 * Consecutive predictions of one source (a serving process) as the log stores them: each one's
 * MessagePack back to back in `payload`, and in `ends` the byte offset where each ends (uint32,
 * little-endian). See prediction-run.ts for the encoding and the ids.
 */
export interface PredictionRun {
  source: string;
  firstSeq: number;
  count: number;
  ends: Uint8Array;
  payload: Uint8Array;
  /** When the run's newest prediction was served (ms since the epoch). */
  createdAt: number;
}

export type LogEvent =
  | {
      id: number;
      modelId: number;
      kind: 'learn';
      features: Features;
      label: Label;
      predictionId: string | null;
      served: ServedPrediction | null;
    }
  | { id: number; modelId: number; kind: 'checkpoint'; reason: 'manual' | 'import' }
  | { id: number; modelId: number; kind: 'rollback'; targetVersion: number };

/** An event to append; the store assigns ids in commit order. */
export type NewEvent =
  | {
      modelId: number;
      kind: 'learn';
      features: Features;
      label: Label;
      predictionId: string | null;
      served: ServedPrediction | null;
      key: string | null;
    }
  | { modelId: number; kind: 'checkpoint'; reason: 'manual' | 'import' }
  | { modelId: number; kind: 'rollback'; targetVersion: number };

/**
 * What appending one event came to: a new id, or the earlier event with the same key. When a
 * batch is refused because one of its predictions was already labelled, every entry of the batch
 * says so (with that prediction's id) and nothing of it was kept.
 */
export type AppendOutcome =
  | { status: 'appended'; id: number }
  | { status: 'duplicate'; id: number }
  | { status: 'already-labelled'; predictionId: string };

export type VersionReason = 'created' | 'checkpoint' | 'manual' | 'rollback' | 'import';

export interface VersionRecord {
  modelId: number;
  number: number;
  parent: number | null;
  reason: VersionReason;
  rollbackOf: number | null;
  createdAt: number;
  samplesLearned: number;
  lastEventId: number;
  state: string;
  sha256: string;
  metrics: MetricValue[];
}

/** A version's row without its (possibly large) state. */
export type VersionSummary = Omit<VersionRecord, 'state'>;

export type NewVersion = Omit<VersionRecord, 'number' | 'createdAt'> & { createdAt?: number };

export type AppendVersionOutcome =
  | { status: 'appended'; version: VersionRecord }
  | { status: 'lease-lost'; holder: string | null }
  | { status: 'conflict' };

export type LeaseOutcome = { status: 'acquired' } | { status: 'held'; holder: string; expiresAt: number };

/** What an API key may do: each role includes the ones before it. */
export type ApiKeyRole = 'predict' | 'learn' | 'admin';

/** An API key as stored: a salted hash of its secret, never the secret. */
export interface ApiKeyRecord {
  /** The public id, also the middle of the key text `eddy_<id>_<secret>`. */
  id: string;
  role: ApiKeyRole;
  /** The models the key is scoped to; null for every model. */
  models: string[] | null;
  /** Hex. */
  salt: string;
  /** Hex sha256(salt ‖ secret). */
  hash: string;
  note: string | null;
  createdAt: number;
  createdBy: string | null;
  revokedAt: number | null;
  revokedBy: string | null;
}

export type NewApiKey = Pick<ApiKeyRecord, 'id' | 'role' | 'models' | 'salt' | 'hash' | 'note' | 'createdBy'>;

/** One line of the append-only audit log of key management. */
export interface ApiKeyEvent {
  id: number;
  keyId: string;
  kind: 'created' | 'revoked';
  role: ApiKeyRole;
  models: string[] | null;
  actor: string | null;
  at: number;
}

export type RevokeOutcome =
  | { status: 'revoked'; key: ApiKeyRecord }
  | { status: 'already-revoked'; key: ApiKeyRecord }
  | { status: 'not-found' };

/**
 * Everything eddy persists, behind one asynchronous interface so that a PostgreSQL backend can
 * follow with the same hashes (SQLite answers synchronously underneath). Methods return results for expected outcomes (not found, duplicates, lost
 * lease) and throw only for broken invariants or an unavailable database.
 */
export interface Store {
  createModel(
    model: Omit<ModelRecord, 'id' | 'createdAt'>,
    initial: Omit<NewVersion, 'modelId'>,
  ): Promise<{ status: 'created'; model: ModelRecord; version: VersionRecord } | { status: 'exists' }>;
  getModel(name: string): Promise<ModelRecord | undefined>;
  getModelById(id: number): Promise<ModelRecord | undefined>;
  listModels(): Promise<ModelRecord[]>;

  /**
   * Appends batches of events in one transaction (one commit, one fsync). Each batch is atomic:
   * if any of its events is refused (`already-labelled`), none of that batch is kept, the other
   * batches are unaffected. Ids follow commit order.
   */
  appendEvents(batches: ReadonlyArray<readonly NewEvent[]>): Promise<AppendOutcome[][]>;
  /** Events with id > afterId, any model, in id order. */
  readEvents(afterId: number, limit: number): Promise<LogEvent[]>;
  /** A model's events with fromId < id <= toId, in id order. */
  readModelEvents(modelId: number, fromId: number, toId: number): Promise<LogEvent[]>;
  maxEventId(): Promise<number>;
  /** Events of a model after `afterId` (its lag). */
  countEventsAfter(modelId: number, afterId: number): Promise<number>;

  latestVersion(modelId: number): Promise<VersionRecord | undefined>;
  getVersion(modelId: number, number: number): Promise<VersionRecord | undefined>;
  listVersions(modelId: number, first: number, before?: number): Promise<VersionSummary[]>;
  /** Appends the model's next version, if `holder` still holds the learner lease. */
  appendVersion(version: NewVersion, holder: string): Promise<AppendVersionOutcome>;

  logPredictions(runs: readonly PredictionRun[]): Promise<void>;
  /** A logged prediction by id; undefined for an id that is unknown or whose check does not match. */
  getPrediction(id: string): Promise<PredictionRecord | undefined>;

  /** Takes the lease if it is free, expired, already ours, or held by exactly `takeOverFrom`. */
  acquireLease(name: string, holder: string, ttlMs: number, takeOverFrom?: string): Promise<LeaseOutcome>;
  renewLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
  leaseHolder(name: string): Promise<{ holder: string; expiresAt: number } | undefined>;

  /** Stores a new key (its creation is logged in the key audit log in the same transaction). */
  createApiKey(key: NewApiKey): Promise<ApiKeyRecord>;
  getApiKey(id: string): Promise<ApiKeyRecord | undefined>;
  /** Every key ever created, revoked ones included, oldest first. */
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** Revokes a key for good (logged); revoking twice changes nothing. */
  revokeApiKey(id: string, actor: string | null): Promise<RevokeOutcome>;
  /** Whether the database has ever had a key: then every request needs one. */
  hasApiKeys(): Promise<boolean>;
  /** The key audit log, oldest first. */
  listApiKeyEvents(): Promise<ApiKeyEvent[]>;

  close(): Promise<void>;
}
