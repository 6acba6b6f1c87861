import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** One row per model: its name, complete spec and the metrics it tracks. */
export const models = sqliteTable('models', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  /** The complete spec (defaults filled in), canonical JSON. */
  spec: text('spec').notNull(),
  task: text('task', { enum: ['binary', 'multiclass', 'regression'] }).notNull(),
  /** Metric names, JSON array. */
  metrics: text('metrics').notNull(),
  createdAt: integer('created_at').notNull(),
});

/**
 * The log: every acknowledged learn, checkpoint and rollback request, in the order the learner
 * applies them. Append-only (triggers refuse UPDATE and DELETE).
 *
 * A `batch` row holds `count` consecutive plain examples of one request (no idempotency key, no
 * prediction): `features` and `label` are JSON arrays, and the row's id is the id of its last
 * example, the others taking the ids just below it, which no other row has. One row for up to
 * MAX_BATCH_ROW examples is what lets learnMany commit 100k examples a second: a row each cost
 * the writer ~7 µs per example (encoded-event.ts).
 */
export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id),
    kind: text('kind', { enum: ['learn', 'batch', 'checkpoint', 'rollback'] }).notNull(),
    /** JSON features (learn), a JSON array of them (batch). */
    features: text('features'),
    /** JSON label (learn), a JSON array of them (batch). */
    label: text('label'),
    /** Examples in the row: 1, or for a batch row how many (its ids end at `id`). */
    count: integer('count').notNull().default(1),
    /** The prediction a late label answers; unique, so a prediction is labelled at most once. */
    predictionId: text('prediction_id'),
    /** JSON of the prediction that was served under predictionId, so replay needs no other table. */
    served: text('served'),
    /** Idempotency key, unique per model. */
    key: text('key'),
    /** Checkpoint: why it was asked for (`manual`, `import`). */
    reason: text('reason'),
    /** Rollback: the version whose state is copied. */
    targetVersion: integer('target_version'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    // Partial: most events have neither a key nor a prediction, and an index entry for their
    // NULL would be one more page written by every commit (measured 10–15% of a commit's CPU).
    uniqueIndex('events_model_key').on(t.modelId, t.key).where(sql`${t.key} IS NOT NULL`),
    uniqueIndex('events_prediction').on(t.predictionId).where(sql`${t.predictionId} IS NOT NULL`),
    index('events_model').on(t.modelId, t.id),
  ],
);

/**
 * Every state a model has had. Append-only; `(model_id, number)` is unique so that two writers
 * cannot both append the same version, whatever their application code believes.
 */
export const modelVersions = sqliteTable(
  'model_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    modelId: integer('model_id')
      .notNull()
      .references(() => models.id),
    number: integer('number').notNull(),
    parent: integer('parent'),
    reason: text('reason', { enum: ['created', 'checkpoint', 'manual', 'rollback', 'import'] }).notNull(),
    rollbackOf: integer('rollback_of'),
    createdAt: integer('created_at').notNull(),
    samplesLearned: integer('samples_learned').notNull(),
    lastEventId: integer('last_event_id').notNull(),
    /** Canonical JSON of the model and metric snapshots. */
    state: text('state').notNull(),
    sha256: text('sha256').notNull(),
    /** JSON array of { name, value, text }, for listing without parsing the state. */
    metrics: text('metrics').notNull(),
  },
  (t) => [uniqueIndex('model_versions_number').on(t.modelId, t.number)],
);

/** The learner's lease: one row; only its holder may write versions, checked in every write. */
export const leases = sqliteTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: integer('expires_at').notNull(),
  acquiredAt: integer('acquired_at')
    .notNull()
    .default(sql`0`),
});

/**
 * API keys: the public id, the role, the models a key is scoped to, and a salted hash of the
 * secret (never the secret itself). Rows are never deleted and only ever change by being revoked
 * (triggers), so once a database has had a key, eddy requires one.
 */
export const apiKeys = sqliteTable('api_keys', {
  /** The public part of `eddy_<id>_<secret>`: finds the row without scanning. */
  id: text('id').primaryKey(),
  role: text('role', { enum: ['predict', 'learn', 'admin'] }).notNull(),
  /** JSON array of model names, or null for every model. */
  models: text('models'),
  /** Hex, 16 random bytes, per key. */
  salt: text('salt').notNull(),
  /** Hex sha256(salt ‖ secret). */
  hash: text('hash').notNull(),
  note: text('note'),
  createdAt: integer('created_at').notNull(),
  /** Who created it (`user@host` of the command line). */
  createdBy: text('created_by'),
  revokedAt: integer('revoked_at'),
  revokedBy: text('revoked_by'),
});

/**
 * The audit log of key management: one row per creation and per revocation, written by triggers
 * on `api_keys` (so no code path can change a key without a record) and append-only.
 */
export const apiKeyEvents = sqliteTable(
  'api_key_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    keyId: text('key_id').notNull(),
    kind: text('kind', { enum: ['created', 'revoked'] }).notNull(),
    role: text('role').notNull(),
    models: text('models'),
    actor: text('actor'),
    at: integer('at').notNull(),
  },
  (t) => [index('api_key_events_key').on(t.keyId, t.id)],
);
