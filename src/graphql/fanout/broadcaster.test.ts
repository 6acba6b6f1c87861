import { readFileSync } from 'node:fs';
import { buildSchema, type ExecutionArgs, type GraphQLFieldResolver, parse } from 'graphql';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { LearnerMessage, ModelProgress } from '../../learner/messages.js';
import type { Principal } from '../../serving/authenticator.js';
import type { EddyService } from '../../serving/eddy-service.js';
import { DomainError } from '../../serving/errors.js';
import { RateLimiter } from '../../serving/rate-limiter.js';
import type { VersionSummary } from '../../store/types.js';
import type { EddyContext } from '../context.js';
import { Subscription } from '../resolvers/subscription.js';
import { SCHEMA_PATH } from '../schema.js';
import { Broadcaster, documentKey, type Payload, type Subscriber } from './broadcaster.js';

// The SDL with the subscription resolvers: under vitest, yoga's executable schema comes from
// graphql's CommonJS build and execute from its ES module build, which refuse to mix.
const schema = buildSchema(readFileSync(SCHEMA_PATH, 'utf8'));
for (const [name, field] of Object.entries(schema.getSubscriptionType()?.getFields() ?? {})) {
  const resolvers = Subscription[name as keyof typeof Subscription];
  field.subscribe = resolvers.subscribe as GraphQLFieldResolver<unknown, unknown>;
  field.resolve = resolvers.resolve as GraphQLFieldResolver<unknown, unknown>;
}
const log = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits until `check` holds (timers may run late on a loaded machine), failing after 5 s. */
async function until(check: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 5000; !check(); await sleep(5)) if (Date.now() > deadline) throw new Error('timed out');
}

class Source {
  private listener: ((m: LearnerMessage) => void) | undefined;
  subscribe(listener: (m: LearnerMessage) => void) {
    this.listener = listener;
    return () => (this.listener = undefined);
  }
  progress(samplesLearned: number, model = 'm'): void {
    const p: ModelProgress = { modelId: 1, model, samplesLearned, lastEventId: samplesLearned, metrics: [{ name: 'Accuracy', value: 0.5, text: 'Accuracy: 50.00%' }], publishedAt: 1000 + samplesLearned };
    this.listener?.({ type: 'progress', cursor: samplesLearned, models: [p] });
  }
  version(number: number, model = 'm'): void {
    const version = { modelId: 1, number, parent: number - 1, reason: 'checkpoint', rollbackOf: null, samplesLearned: number, lastEventId: number, sha256: 'ab'.repeat(32), metrics: [], createdAt: 0 } as unknown as VersionSummary;
    this.listener?.({ type: 'version', model, version });
  }
}

class Recorder implements Subscriber {
  payloads: Payload[] = [];
  ended = false;
  last: Payload | undefined;
  backlog = 0;
  constructor(readonly principal: Principal) {}
  buffered() {
    return this.backlog;
  }
  send(payload: Payload) {
    this.payloads.push(payload);
  }
  end(last?: Payload) {
    this.ended = true;
    this.last = last;
  }
  get data() {
    return this.payloads.map((p) => JSON.parse(p.json) as { data: Record<string, Record<string, unknown>> });
  }
}

const principal = (keyId: string | null): Principal => ({ keyId, role: 'predict', models: null, client: `key ${keyId}` });

function context(p: Principal): EddyContext {
  const service = {
    model: async (name: string) => {
      if (name !== 'm') throw new DomainError('MODEL_NOT_FOUND', `no model named ${name}`);
      return {};
    },
  } as unknown as EddyService;
  return { service, principal: p, access: { authenticator: undefined as never, limiter: new RateLimiter({ predict: 0, learn: 0 }) } };
}

const METRICS = 'subscription ($m: String!) { metrics(model: $m) { samplesLearned publishedAt metrics { text } } }';
const VERSIONS = 'subscription { v: versions(model: "m") { number sha256 } }';

let broadcaster: Broadcaster | undefined;
afterEach(() => broadcaster?.close());

function setup(o: { intervalMs?: number; stillValid?: (p: Principal) => boolean | Promise<boolean> } = {}) {
  const source = new Source();
  const checks: Array<string | null> = [];
  broadcaster = new Broadcaster({
    source,
    stillValid: (p) => {
      checks.push(p.keyId);
      return o.stillValid?.(p) ?? true;
    },
    maskError: (error) => error as Error,
    log,
    intervalMs: o.intervalMs ?? 50,
  });
  const b = broadcaster;
  const subscribe = async (query: string, variables: Record<string, unknown>, s: Subscriber) => {
    const args: ExecutionArgs = { schema, document: parse(query), variableValues: variables, contextValue: context(s.principal) };
    const topic = await b.topicOf(args);
    if (topic === undefined) return undefined;
    return b.join(topic, args, documentKey({ query, variables }), s);
  };
  return { source, checks, broadcaster: b, subscribe };
}

describe('Broadcaster', () => {
  it('executes and serialises each update once per document: every subscriber gets the same payload', async () => {
    const { source, subscribe } = setup();
    const subs = Array.from({ length: 5 }, (_, i) => new Recorder(principal(`k${i % 2}`)));
    for (const s of subs) await subscribe(METRICS, { m: 'm' }, s);
    const aliased = new Recorder(principal(null));
    await subscribe('subscription { live: metrics(model: "m") { samplesLearned } }', {}, aliased);
    source.progress(7);
    await until(() => aliased.payloads.length > 0 && subs.every((s) => s.payloads.length > 0));
    for (const s of subs) expect(s.payloads[0]).toBe(subs[0].payloads[0]);
    expect(JSON.parse(subs[0].payloads[0].json)).toEqual({ data: { metrics: { samplesLearned: 7, publishedAt: 1007, metrics: [{ text: 'Accuracy: 50.00%' }] } } });
    expect(subs[0].payloads[0].sseFrame.toString()).toBe(`event: next\ndata: ${subs[0].payloads[0].json}\n\n`);
    expect(aliased.data).toEqual([{ data: { live: { samplesLearned: 7 } } }]);
  });

  it('coalesces metrics per model: one update per interval on average, the newest wins', async () => {
    const { source, subscribe } = setup({ intervalMs: 60 });
    const s = new Recorder(principal(null));
    await subscribe(METRICS, { m: 'm' }, s);
    const samples = () => s.data.map((d) => d.data.metrics.samplesLearned);
    // A burst: the first at once, the newest of the rest from the second credit.
    for (let i = 1; i <= 10; i++) source.progress(i);
    await until(() => s.payloads.length === 2);
    expect(samples()).toEqual([1, 10]);
    // Credit spent: the next burst waits for an interval's refill, and only its newest goes out.
    const started = performance.now();
    for (let i = 11; i <= 20; i++) source.progress(i);
    await until(() => s.payloads.length === 3);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(samples()).toEqual([1, 10, 20]);
    await sleep(80);
    expect(s.payloads.length).toBe(3);
  });

  it('delivers every version, in order, never coalesced', async () => {
    const { source, subscribe } = setup({ intervalMs: 1000 });
    const s = new Recorder(principal(null));
    await subscribe(VERSIONS, {}, s);
    for (let i = 1; i <= 5; i++) source.version(i);
    await until(() => s.payloads.length === 5);
    expect(s.data.map((d) => d.data.v.number)).toEqual([1, 2, 3, 4, 5]);
  });

  it('ignores other models and topics nobody follows', async () => {
    const { source, subscribe } = setup();
    const s = new Recorder(principal(null));
    await subscribe(METRICS, { m: 'm' }, s);
    source.progress(1, 'other');
    source.version(1);
    await sleep(10);
    expect(s.payloads).toEqual([]);
  });

  it('checks each key once per update and ends a revoked key’s subscriptions with one UNAUTHENTICATED error', async () => {
    const revoked = new Set<string>();
    const { source, checks, subscribe } = setup({ stillValid: (p) => !revoked.has(p.keyId ?? '') });
    const a = [new Recorder(principal('a')), new Recorder(principal('a'))];
    const b = new Recorder(principal('b'));
    for (const s of [...a, b]) await subscribe(METRICS, { m: 'm' }, s);
    source.progress(1);
    await until(() => b.payloads.length === 1);
    expect(checks.sort()).toEqual(['a', 'b']);
    revoked.add('a');
    await sleep(60);
    source.progress(2);
    await until(() => b.payloads.length === 2 && a.every((s) => s.ended));
    for (const s of a) {
      expect(s.ended).toBe(true);
      expect(JSON.parse(s.last?.json ?? '')).toEqual({
        errors: [expect.objectContaining({ message: 'this API key has been revoked; the subscription has ended', path: ['metrics'] })],
        data: null,
      });
    }
    expect(b.ended).toBe(false);
    expect(b.data.map((d) => d.data.metrics.samplesLearned)).toEqual([1, 2]);
  });

  it('waits for a key check that needs the database, then delivers the same payload', async () => {
    const { source, subscribe } = setup({ stillValid: () => sleep(5).then(() => true) });
    const s = new Recorder(principal('slow'));
    await subscribe(METRICS, { m: 'm' }, s);
    source.progress(3);
    await until(() => s.payloads.length === 1);
    expect(s.data.map((d) => d.data.metrics.samplesLearned)).toEqual([3]);
  });

  it('skips a slow subscriber’s metrics and sends it the newest once it has caught up', async () => {
    const { source, subscribe } = setup({ intervalMs: 20 });
    const slow = new Recorder(principal(null));
    await subscribe(METRICS, { m: 'm' }, slow);
    slow.backlog = 1_000_000;
    source.progress(1);
    await sleep(30);
    source.progress(2);
    await sleep(40);
    expect(slow.payloads).toEqual([]);
    slow.backlog = 0;
    await until(() => slow.payloads.length > 0);
    expect(slow.data.map((d) => d.data.metrics.samplesLearned)).toEqual([2]);
  });

  it('names no topic for a subscription that fails its subscribe step, and stops sending after leaving', async () => {
    const { source, broadcaster: b, subscribe } = setup();
    expect(await subscribe(METRICS, { m: 'nope' }, new Recorder(principal(null)))).toBeUndefined();
    const s = new Recorder(principal(null));
    const leave = await subscribe(METRICS, { m: 'm' }, s);
    expect(b.size).toBe(1);
    leave?.();
    leave?.();
    expect(b.size).toBe(0);
    source.progress(1);
    await sleep(10);
    expect(s.payloads).toEqual([]);
  });

  it('ends every subscription on close', async () => {
    const { broadcaster: b, subscribe } = setup();
    const s = new Recorder(principal(null));
    await subscribe(VERSIONS, {}, s);
    b.close();
    expect(s.ended).toBe(true);
    expect(s.last).toBeUndefined();
  });
});
