import { createSourceEventStream, type DocumentNode, execute, type ExecutionArgs, type ExecutionResult, GraphQLError, type GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { LearnerMessage } from '../../learner/messages.js';
import type { Principal } from '../../serving/authenticator.js';
import { DomainError } from '../../serving/errors.js';
import { AccessEnded } from '../authorize.js';
import type { EddyContext } from '../context.js';
import { withoutHttp } from '../errors.js';
import { FanoutTopic, type TopicKind } from './fanout-topic.js';

/** One update's response, serialised once and written as is to every subscriber of a document. */
export class Payload {
  private frame: Buffer | undefined;
  private chunk: Buffer | undefined;
  private bytes: Buffer | undefined;

  constructor(readonly json: string) {}

  /** The SSE event, byte for byte what graphql-yoga writes: `event: next`, `data: <json>`. */
  get sseFrame(): Buffer {
    this.frame ??= Buffer.from(`event: next\ndata: ${this.json}\n\n`);
    return this.frame;
  }

  /** The SSE event as one HTTP/1.1 chunk (`<size>\r\n<event>\r\n`), for writing straight to a chunked response's socket. */
  get sseChunk(): Buffer {
    if (this.chunk === undefined) {
      const frame = this.sseFrame;
      this.chunk = Buffer.concat([Buffer.from(`${frame.length.toString(16)}\r\n`), frame, CRLF]);
    }
    return this.chunk;
  }

  /** The payload JSON as UTF-8, encoded once for every WebSocket frame that carries it. */
  get utf8(): Buffer {
    this.bytes ??= Buffer.from(this.json);
    return this.bytes;
  }
}

const CRLF = Buffer.from('\r\n');

/** One client's subscription, as a transport (SSE response, graphql-ws operation) writes it. */
export interface Subscriber {
  readonly principal: Principal;
  /** Bytes written to the client but not yet taken by its socket. */
  buffered(): number;
  send(payload: Payload): void;
  /** Ends the subscription: a last payload (an error) if given, then the transport's "complete". */
  end(last?: Payload): void;
}

export interface BroadcasterOptions {
  /** Learner announcements (EddyService.subscribe): the Broadcaster listens once per process. */
  source: { subscribe(listener: (message: LearnerMessage) => void): () => void };
  /** Whether a principal still holds (Authenticator.stillValid): asked once per key per update. */
  stillValid: (principal: Principal) => boolean | Promise<boolean>;
  /** Turns an error into what a client may see (errors.ts `maskError`). */
  maskError: (error: unknown, message: string) => Error;
  log: Logger;
  /**
   * One metrics update per model per this many ms, on average (a token bucket holding two, so an
   * update that arrives late does not hold back the next one); the newest wins; 0 for no limit.
   * @default 100
   */
  intervalMs?: number;
  /** Subscribers written to before yielding to the event loop, so requests are not stalled. @default 256 */
  chunkSize?: number;
  /** A metrics update skips a subscriber with more than this buffered (it gets the newest later). @default 65_536 */
  slowBytes?: number;
  /** A subscriber with more than this buffered is ended: it is not reading. @default 8_388_608 */
  maxBytes?: number;
}

/** Subscribers of one document (query, operation name, variables) on one topic: one execution per update. */
interface Group {
  kind: TopicKind;
  args: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; variableValues?: ExecutionArgs['variableValues'] };
  /** The context payloads are executed with: nobody's (payload types must not depend on who asks). */
  context: EddyContext;
  subscribers: Set<Subscriber>;
  /** The newest payload, for subscribers whose metrics update was skipped while they were slow. */
  latest?: Payload;
  behind: Set<Subscriber>;
}

interface Topic {
  kind: TopicKind;
  model: string;
  groups: Map<string, Group>;
  /** Metrics: the newest update not yet sent. Versions: every one not yet sent, in order. */
  pending: unknown[];
  busy: boolean;
  /** Metrics: flushes the topic may make now (a token bucket, refilled one per interval up to BURST). */
  credit: number;
  creditAt: number;
  timer?: NodeJS.Timeout;
}

/**
 * Metrics flushes a topic can save up. With one, a source publishing at about the flush rate would
 * be held back by its own jitter: each late update would push the next slot later, until updates
 * waited most of an interval. With two, a late update is followed by an early one on time, while
 * the rate over time stays at one per interval.
 */
const BURST = 2;

/** Subscriptions whose query text, operation name and variables agree share one execution per update. */
export function documentKey(p: { query: string; variables?: unknown; operationName?: string | null }): string {
  return `${p.operationName ?? ''}\u0000${JSON.stringify(p.variables ?? {})}\u0000${p.query}`;
}

/**
 * Whom a group's payloads are executed as: no model in scope, so a payload field that checked
 * access would refuse rather than answer with the rights of whichever subscriber came first.
 * (Each subscriber's own access is checked at subscribe time and before every update.)
 */
const NOBODY: Principal = { keyId: null, role: 'predict', models: new Set(), client: 'subscription fan-out' };

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The subscription fan-out of one server process. Subscribers of the same model and the same
 * document form a group; each update is executed once per group (graphql-js `execute` of the
 * subscription's selection against the update as root value), JSON-serialised once, and the same
 * string (SSE: the same bytes) is written to every subscriber. Metrics updates are coalesced per
 * model: one every `intervalMs` on average, the newest wins; versions are delivered every one, in
 * order. Before each update every subscriber's key is checked again (once per key per update, from
 * the Authenticator's cache), so a revoked key's subscriptions get one UNAUTHENTICATED error and
 * end, as with yoga. Writing is split into chunks with a yield between them, so requests keep
 * being served while thousands of subscribers are written to.
 *
 * @example
 * const broadcaster = new Broadcaster({ source: service, stillValid: (p) => authenticator.stillValid(p), maskError, log });
 * const topic = await broadcaster.topicOf(args); // access and the model checked, as a subscribe would
 * if (topic !== undefined) { const leave = broadcaster.join(topic, args, key, subscriber); res.on('close', leave); }
 */
export class Broadcaster {
  private readonly topics = new Map<string, Topic>();
  private readonly intervalMs: number;
  private readonly chunkSize: number;
  private readonly slowBytes: number;
  private readonly maxBytes: number;
  private readonly unsubscribe: () => void;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly o: BroadcasterOptions) {
    this.intervalMs = o.intervalMs ?? 100;
    this.chunkSize = o.chunkSize ?? 256;
    this.slowBytes = o.slowBytes ?? 65_536;
    this.maxBytes = o.maxBytes ?? 8_388_608;
    this.unsubscribe = o.source.subscribe((m) => this.onMessage(m));
  }

  /**
   * Runs the subscription's subscribe step as graphql-js would (variables, arguments, access, the
   * model), with `context.fanout` set. Returns the topic to join, or undefined when it did not
   * name one (an error, or a field the fan-out does not serve): serve it the ordinary way then,
   * which reports the error exactly as before.
   */
  async topicOf(args: ExecutionArgs): Promise<FanoutTopic | undefined> {
    const contextValue: EddyContext = { ...(args.contextValue as EddyContext), fanout: true };
    const stream = await createSourceEventStream({ ...args, contextValue });
    if (stream instanceof FanoutTopic) return stream;
    if (Symbol.asyncIterator in stream) await stream[Symbol.asyncIterator]().return?.();
    return undefined;
  }

  /**
   * Adds a subscriber to a topic, in the group of `key` (the same query text, operation name and
   * variables share one execution). Returns how to leave; leaving twice is harmless.
   */
  join(topic: FanoutTopic, args: ExecutionArgs, key: string, subscriber: Subscriber): () => void {
    const topicKey = `${topic.kind}\u0000${topic.model}`;
    let t = this.topics.get(topicKey);
    if (t === undefined) {
      t = { kind: topic.kind, model: topic.model, groups: new Map(), pending: [], busy: false, credit: BURST, creditAt: performance.now() };
      this.topics.set(topicKey, t);
    }
    let group = t.groups.get(key);
    if (group === undefined) {
      const { schema, document, operationName, variableValues } = args;
      const { service, access } = args.contextValue as EddyContext;
      const context: EddyContext = { service, access, principal: NOBODY };
      group = { kind: topic.kind, args: { schema, document, operationName, variableValues }, context, subscribers: new Set(), behind: new Set() };
      t.groups.set(key, group);
    }
    group.subscribers.add(subscriber);
    const joined = t;
    const g = group;
    return () => this.leave(topicKey, joined, key, g, subscriber);
  }

  /** Subscribers in this process. */
  get size(): number {
    let n = 0;
    for (const t of this.topics.values()) for (const g of t.groups.values()) n += g.subscribers.size;
    return n;
  }

  /** Ends every subscription (each gets its transport's "complete") and stops listening. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    clearTimeout(this.retryTimer);
    for (const t of this.topics.values()) {
      clearTimeout(t.timer);
      for (const g of t.groups.values()) for (const s of g.subscribers) s.end();
    }
    this.topics.clear();
  }

  private leave(topicKey: string, t: Topic, key: string, group: Group, subscriber: Subscriber): void {
    if (!group.subscribers.delete(subscriber)) return;
    group.behind.delete(subscriber);
    if (group.subscribers.size > 0) return;
    t.groups.delete(key);
    if (t.groups.size > 0) return;
    clearTimeout(t.timer);
    if (this.topics.get(topicKey) === t) this.topics.delete(topicKey);
  }

  private onMessage(message: LearnerMessage): void {
    if (message.type === 'progress') {
      for (const p of message.models) {
        const t = this.topics.get(`metrics\u0000${p.model}`);
        if (t === undefined) continue;
        t.pending[0] = p;
        this.schedule(t);
      }
    } else if (message.type === 'version') {
      const t = this.topics.get(`versions\u0000${message.model}`);
      if (t === undefined) return;
      t.pending.push(message.version);
      if (!t.busy) void this.drain(t);
    }
  }

  /** Metrics: flush now if the topic has a flush to spend, else once it will have. */
  private schedule(t: Topic): void {
    if (t.busy || t.timer !== undefined) return;
    const credit = this.refill(t);
    if (credit >= 1) {
      void this.drain(t);
      return;
    }
    t.timer = setTimeout(() => {
      t.timer = undefined;
      this.schedule(t);
    }, (1 - credit) * this.intervalMs);
  }

  private refill(t: Topic): number {
    const now = performance.now();
    t.credit = this.intervalMs === 0 ? BURST : Math.min(BURST, t.credit + (now - t.creditAt) / this.intervalMs);
    t.creditAt = now;
    return t.credit;
  }

  /** Delivers a topic's pending updates one after another; one drain per topic at a time. */
  private async drain(t: Topic): Promise<void> {
    if (t.busy) return;
    t.busy = true;
    try {
      while (t.pending.length > 0 && !this.closed) {
        const value = t.pending.shift();
        if (t.kind === 'metrics') t.credit -= 1;
        for (const [key, group] of t.groups) {
          try {
            await this.deliver(group, value);
          } catch (error) {
            this.o.log.error({ err: error, model: t.model, group: key.slice(0, 200) }, 'could not deliver a subscription update');
          }
        }
        if (t.kind === 'metrics') break;
      }
    } finally {
      t.busy = false;
    }
    if (t.kind === 'metrics' && t.pending.length > 0 && !this.closed) this.schedule(t);
  }

  /** One update to one group: executed and serialised once, then written to each subscriber. */
  private async deliver(group: Group, value: unknown): Promise<void> {
    const payload = await this.render(group, value);
    group.latest = payload;
    const subscribers = [...group.subscribers];
    const verdicts = new Map<string, boolean | Promise<boolean>>();
    const waiting: Subscriber[] = [];
    for (let i = 0; i < subscribers.length; i++) {
      if (i > 0 && i % this.chunkSize === 0) await yieldToEventLoop();
      const s = subscribers[i];
      if (!group.subscribers.has(s)) continue;
      const verdict = this.verdict(verdicts, s.principal);
      if (verdict === true) this.write(group, s, payload);
      else if (verdict === false) await this.endAccess(group, s);
      else waiting.push(s);
    }
    if (waiting.length === 0) return;
    // Keys whose cached answer had expired: one database read each, then the same payload.
    await Promise.all(verdicts.values());
    for (const s of waiting) {
      if (!group.subscribers.has(s)) continue;
      if (await this.verdict(verdicts, s.principal)) this.write(group, s, payload);
      else await this.endAccess(group, s);
    }
  }

  private verdict(verdicts: Map<string, boolean | Promise<boolean>>, principal: Principal): boolean | Promise<boolean> {
    const key = principal.keyId ?? '';
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      verdict = this.o.stillValid(principal);
      verdicts.set(key, verdict);
    }
    return verdict;
  }

  private write(group: Group, s: Subscriber, payload: Payload): void {
    const buffered = s.buffered();
    if (buffered > this.maxBytes) {
      this.o.log.warn({ buffered }, 'ending a subscription whose client is not reading');
      group.subscribers.delete(s);
      group.behind.delete(s);
      s.end();
      return;
    }
    if (buffered > this.slowBytes && group.kind === 'metrics') {
      group.behind.add(s);
      this.retryLater();
      return;
    }
    group.behind.delete(s);
    s.send(payload);
  }

  /** Subscribers skipped while slow get the newest payload once they have caught up. */
  private retryLater(): void {
    if (this.retryTimer !== undefined || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      let still = false;
      for (const t of this.topics.values()) {
        for (const g of t.groups.values()) {
          for (const s of g.behind) {
            if (s.buffered() > this.slowBytes || g.latest === undefined) {
              still = true;
              continue;
            }
            if (this.o.stillValid(s.principal) !== true) continue; // the next update checks it properly
            g.behind.delete(s);
            s.send(g.latest);
          }
        }
      }
      if (still) this.retryLater();
    }, this.intervalMs);
  }

  /** The key was revoked (or keys became required): one UNAUTHENTICATED error, as yoga sends it, then the end. */
  private async endAccess(group: Group, s: Subscriber): Promise<void> {
    if (!group.subscribers.delete(s)) return;
    group.behind.delete(s);
    const why = s.principal.keyId === null ? 'API keys are now required' : 'this API key has been revoked';
    const error = new DomainError('UNAUTHENTICATED', `${why}; the subscription has ended`);
    s.end(await this.render(group, new AccessEnded(error)));
  }

  /** Executes the group's selection with `value` as the root value; errors masked as yoga masks them. */
  private async render(group: Group, value: unknown): Promise<Payload> {
    const result: ExecutionResult = await execute({ ...group.args, rootValue: value, contextValue: group.context });
    if (result.errors === undefined || result.errors.length === 0) return new Payload(JSON.stringify(result));
    const errors = result.errors.map((error) => {
      const masked = this.o.maskError(error, 'Unexpected error.');
      return withoutHttp(masked instanceof GraphQLError ? masked : new GraphQLError(masked.message)).toJSON();
    });
    return new Payload(JSON.stringify({ ...result, errors }));
  }
}
