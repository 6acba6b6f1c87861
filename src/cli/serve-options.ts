import { availableParallelism } from 'node:os';
import { type Command, Option } from 'commander';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from '../graphql/query-limits.js';
import { DEFAULT_LIMITS, type Limits } from '../serving/limits.js';
import type { RateLimits } from '../serving/rate-limiter.js';

/** Everything `eddy serve` can be told, after defaults and environment variables. */
export interface ServeOptions {
  port: number;
  host: string;
  db: string;
  workers: number;
  checkpointEvery: number;
  checkpointIntervalMs: number;
  /** How long a write waits for the database lock before failing (learn then answers UNAVAILABLE). */
  busyTimeoutMs: number;
  synchronous: 'full' | 'normal';
  graphiql: boolean;
  waitTimeoutMs: number;
  limits: Limits;
  /** GraphQL document limits: depth, aliases, cost, tokens, directives. */
  queryLimits: QueryLimits;
  /** Listen on a non-loopback address even though the database has no API keys. */
  insecure: boolean;
  introspection: boolean;
  rateLimits: RateLimits;
  /** How subscriptions are served: one fan-out per process, or per subscriber through yoga (to compare). */
  subscriptions: 'fanout' | 'yoga';
  /** One metrics update per model per this many ms, on average. */
  subscriptionIntervalMs: number;
  /** Served predictions are kept (for late labels) this long; 0 keeps them forever. */
  predictionRetentionMs: number;
}

function int(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}`);
    return n;
  };
}

/** Adds serve's options (also read from EDDY_* variables) to a command. */
export function addServeOptions(command: Command): Command {
  return command
    .addOption(new Option('--port <n>', 'HTTP port').env('EDDY_PORT').default(4000).argParser(int('--port', 0)))
    .addOption(new Option('--host <address>', 'address to listen on').env('EDDY_HOST').default('127.0.0.1'))
    .addOption(new Option('--db <file>', 'SQLite database file').env('EDDY_DB').default('./eddy.db'))
    .addOption(
      new Option('--workers <n>', 'server processes (default: the core count)')
        .env('EDDY_WORKERS')
        .default(availableParallelism())
        .argParser(int('--workers', 1)),
    )
    .addOption(
      new Option('--checkpoint-every <events>', 'write a version after this many labels')
        .env('EDDY_CHECKPOINT_EVERY')
        .default(10_000)
        .argParser(int('--checkpoint-every', 1)),
    )
    .addOption(
      new Option('--checkpoint-interval <ms>', '…or after this long, if anything changed (bounds prediction staleness)')
        .env('EDDY_CHECKPOINT_INTERVAL')
        .default(1000)
        .argParser(int('--checkpoint-interval', 10)),
    )
    .addOption(
      new Option('--busy-timeout <ms>', 'how long a write waits for a database locked by another process before failing')
        .env('EDDY_BUSY_TIMEOUT')
        .default(5000)
        .argParser(int('--busy-timeout', 0)),
    )
    .addOption(
      new Option('--synchronous <mode>', 'SQLite durability: full survives power loss, normal only crashes')
        .choices(['full', 'normal'])
        .env('EDDY_SYNCHRONOUS')
        .default('full'),
    )
    .addOption(new Option('--no-graphiql', 'do not serve GraphiQL'))
    .addOption(new Option('--no-introspection', 'refuse introspection queries (__schema, __type)'))
    .addOption(
      new Option('--insecure', 'listen on a non-loopback --host even though no API keys exist (anyone who can connect is admin)'),
    )
    .addOption(
      new Option('--rate-limit-predict <n>', 'predict calls per second per API key (per client address without keys), per server process; 0: no limit')
        .env('EDDY_RATE_LIMIT_PREDICT')
        .default(0)
        .argParser(int('--rate-limit-predict', 0)),
    )
    .addOption(
      new Option('--rate-limit-learn <n>', 'learn calls per second per API key (per client address without keys), per server process; 0: no limit')
        .env('EDDY_RATE_LIMIT_LEARN')
        .default(0)
        .argParser(int('--rate-limit-learn', 0)),
    )
    .addOption(
      new Option('--subscriptions <mode>', 'fanout: execute and serialise each update once per process; yoga: once per subscriber (the old path)')
        .choices(['fanout', 'yoga'])
        .env('EDDY_SUBSCRIPTIONS')
        .default('fanout'),
    )
    .addOption(
      new Option('--subscription-interval <ms>', 'one metrics update per model per this many ms to subscribers, on average (the newest wins; 0: as fast as they can be written)')
        .env('EDDY_SUBSCRIPTION_INTERVAL')
        .default(100)
        .argParser(int('--subscription-interval', 0)),
    )
    .addOption(
      new Option('--prediction-retention <s>', 'keep served predictions this many seconds, for late labels (0: forever)')
        .env('EDDY_PREDICTION_RETENTION')
        .default(7 * 24 * 3600)
        .argParser(int('--prediction-retention', 0)),
    )
    .addOption(
      new Option('--wait-timeout <ms>', 'how long learn(wait: true) waits for the learner')
        .env('EDDY_WAIT_TIMEOUT')
        .default(10_000)
        .argParser(int('--wait-timeout', 1)),
    )
    .addOption(
      new Option('--max-body-bytes <n>', 'largest request body').env('EDDY_MAX_BODY_BYTES').default(DEFAULT_LIMITS.maxBodyBytes).argParser(int('--max-body-bytes', 1)),
    )
    .addOption(
      new Option('--max-features <n>', 'features per example').env('EDDY_MAX_FEATURES').default(DEFAULT_LIMITS.maxFeatures).argParser(int('--max-features', 1)),
    )
    .addOption(
      new Option('--max-batch <n>', 'examples per learnMany / predictMany').env('EDDY_MAX_BATCH').default(DEFAULT_LIMITS.maxBatch).argParser(int('--max-batch', 1)),
    )
    .addOption(
      new Option('--max-feature-name <n>', 'length of a feature name')
        .env('EDDY_MAX_FEATURE_NAME')
        .default(DEFAULT_LIMITS.maxFeatureNameLength)
        .argParser(int('--max-feature-name', 1)),
    )
    .addOption(queryLimit('--max-depth <n>', 'deepest field nesting in a GraphQL document', 'EDDY_MAX_DEPTH', DEFAULT_QUERY_LIMITS.maxDepth))
    .addOption(queryLimit('--max-aliases <n>', 'aliased fields in a GraphQL operation', 'EDDY_MAX_ALIASES', DEFAULT_QUERY_LIMITS.maxAliases))
    .addOption(queryLimit('--max-cost <n>', "a GraphQL operation's static cost (graphql-armor's)", 'EDDY_MAX_COST', DEFAULT_QUERY_LIMITS.maxCost))
    .addOption(queryLimit('--max-tokens <n>', 'lexical tokens in a GraphQL document', 'EDDY_MAX_TOKENS', DEFAULT_QUERY_LIMITS.maxTokens))
    .addOption(
      queryLimit('--max-directives <n>', 'directives in a GraphQL operation', 'EDDY_MAX_DIRECTIVES', DEFAULT_QUERY_LIMITS.maxDirectives),
    );
}

/** A GraphQL document limit (see query-limits.ts): a positive integer. */
function queryLimit(flags: string, description: string, env: string, fallback: number): Option {
  return new Option(flags, description).env(env).default(fallback).argParser(int(flags.split(' ')[0], 1));
}

interface RawServeOptions {
  port: number;
  host: string;
  db: string;
  workers: number;
  checkpointEvery: number;
  checkpointInterval: number;
  busyTimeout: number;
  synchronous: 'full' | 'normal';
  graphiql: boolean;
  introspection: boolean;
  insecure?: boolean;
  rateLimitPredict: number;
  rateLimitLearn: number;
  subscriptions: 'fanout' | 'yoga';
  subscriptionInterval: number;
  predictionRetention: number;
  waitTimeout: number;
  maxBodyBytes: number;
  maxFeatures: number;
  maxBatch: number;
  maxFeatureName: number;
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
  maxDirectives: number;
}

export function toServeOptions(raw: RawServeOptions): ServeOptions {
  return {
    port: raw.port,
    host: raw.host,
    db: raw.db,
    workers: raw.workers,
    checkpointEvery: raw.checkpointEvery,
    checkpointIntervalMs: raw.checkpointInterval,
    busyTimeoutMs: raw.busyTimeout,
    synchronous: raw.synchronous,
    graphiql: raw.graphiql,
    waitTimeoutMs: raw.waitTimeout,
    insecure: raw.insecure === true,
    introspection: raw.introspection,
    rateLimits: { predict: raw.rateLimitPredict, learn: raw.rateLimitLearn },
    subscriptions: raw.subscriptions,
    subscriptionIntervalMs: raw.subscriptionInterval,
    predictionRetentionMs: raw.predictionRetention * 1000,
    limits: {
      ...DEFAULT_LIMITS,
      maxBodyBytes: raw.maxBodyBytes,
      maxFeatures: raw.maxFeatures,
      maxBatch: raw.maxBatch,
      maxFeatureNameLength: raw.maxFeatureName,
    },
    queryLimits: {
      maxDepth: raw.maxDepth,
      maxAliases: raw.maxAliases,
      maxCost: raw.maxCost,
      maxTokens: raw.maxTokens,
      maxDirectives: raw.maxDirectives,
    },
  };
}
