import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DocumentNode, type ExecutionArgs, getOperationAST, type GraphQLError, type GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { EddyContext } from '../context.js';
import { type Broadcaster, documentKey } from './broadcaster.js';
import { SseSubscriber } from './sse-subscriber.js';

/** graphql-yoga's SSE response headers, so clients see the same protocol. */
const SSE_HEADERS = {
  'Content-Type': 'text/event-stream',
  Connection: 'keep-alive',
  'Cache-Control': 'no-cache',
  'Content-Encoding': 'none',
};
const PING = ':\n\n';

/** The GraphQL pipeline yoga runs for a request (its envelop): the same parser, rules and context. */
export interface Enveloped {
  schema: GraphQLSchema;
  parse: (source: string) => DocumentNode;
  validate: (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[];
  contextFactory: () => unknown;
}

export interface SseSubscriptionsOptions {
  endpoint: string;
  maxBodyBytes: number;
  broadcaster: Broadcaster;
  /** yoga's envelop for this request (`yoga.getEnveloped({ req, params })`). */
  envelop: (req: IncomingMessage, params: GraphQLParams) => Enveloped;
  /** Serves a request this handler did not take, with the body it has read (yoga). */
  fallback: (req: IncomingMessage, res: ServerResponse, body?: string) => void;
  /** Between SSE comments that keep idle connections open, as yoga's. @default 12000 */
  pingMs?: number;
  /** Where unexpected errors are logged (the client sees only INTERNAL_SERVER_ERROR). */
  log: Logger;
}

export interface GraphQLParams {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/**
 * Takes subscriptions over SSE (graphql-yoga's "distinct connections" protocol: GET or POST with
 * `accept: text/event-stream`) off yoga, on node:http, to serve them from the Broadcaster. It runs
 * yoga's own envelop (parser with limits, validation rules, context with authentication) and the
 * subscribe step; anything that is not a valid subscription of a topic — a query over SSE, a
 * document or variables that do not validate, a missing key, an unknown model — goes to yoga with
 * its body, which answers as it always has. Returns false for requests it does not look at.
 */
export function createSseSubscriptions(o: SseSubscriptionsOptions) {
  const open = new Set<ServerResponse>();
  const ping = setInterval(() => {
    for (const res of open) if (res.writableLength === 0) res.write(PING);
  }, o.pingMs ?? 12_000);
  ping.unref();

  async function serve(req: IncomingMessage, res: ServerResponse, params: GraphQLParams, body?: string): Promise<void> {
    const enveloped = o.envelop(req, params);
    let contextValue: EddyContext;
    let document: DocumentNode;
    try {
      contextValue = (await enveloped.contextFactory()) as EddyContext;
      document = enveloped.parse(params.query);
    } catch {
      return o.fallback(req, res, body);
    }
    if (enveloped.validate(enveloped.schema, document).length > 0) return o.fallback(req, res, body);
    if (getOperationAST(document, params.operationName)?.operation !== 'subscription') return o.fallback(req, res, body);
    const args: ExecutionArgs = {
      schema: enveloped.schema,
      document,
      operationName: params.operationName,
      variableValues: params.variables,
      contextValue,
    };
    const topic = await o.broadcaster.topicOf(args);
    if (topic === undefined) return o.fallback(req, res, body);
    if (res.destroyed) return;
    res.writeHead(200, SSE_HEADERS);
    // Browsers may hold a response until its first bytes; yoga starts with a comment too.
    res.write(PING);
    const subscriber = new SseSubscriber(res, contextValue.principal);
    const leave = o.broadcaster.join(topic, args, documentKey(params), subscriber);
    open.add(res);
    res.once('close', () => {
      open.delete(res);
      leave();
    });
  }

  function fail(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    o.log.error({ err: error }, 'unexpected error in an SSE subscription');
    if (!res.headersSent) {
      res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      res.end('{"errors":[{"message":"Unexpected error.","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}');
    } else res.end();
    req.destroy(error instanceof Error ? error : undefined);
  }

  return function handle(req: IncomingMessage, res: ServerResponse): boolean {
    const accept = req.headers.accept;
    if (accept === undefined || !accept.includes('text/event-stream')) return false;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    if ((q >= 0 ? url.slice(0, q) : url) !== o.endpoint) return false;
    if (req.method === 'GET') {
      const params = fromSearch(new URLSearchParams(q >= 0 ? url.slice(q + 1) : ''));
      if (params === undefined) return false;
      serve(req, res, params).catch((error: unknown) => fail(req, res, error));
      return true;
    }
    if (req.method !== 'POST' || !(req.headers['content-type'] ?? '').startsWith('application/json')) return false;
    // A POST that also accepts JSON is the fast path's (fast-path.ts), which answers in JSON.
    if (/application\/(graphql-response\+)?json|\*\/\*/.test(accept)) return false;
    // Too large a body is yoga's to refuse (REQUEST_ENTITY_TOO_LARGE), before anything is read.
    if (Number(req.headers['content-length'] ?? 0) > o.maxBodyBytes) return false;
    readBody(req, o.maxBodyBytes).then(
      (body) => {
        if (body === undefined) return tooLarge(res, o.maxBodyBytes);
        const params = fromJson(body);
        if (params === undefined) return o.fallback(req, res, body);
        return serve(req, res, params, body);
      },
      (error: unknown) => fail(req, res, error),
    ).catch((error: unknown) => fail(req, res, error));
    return true;
  };
}

function fromSearch(search: URLSearchParams): GraphQLParams | undefined {
  const query = search.get('query');
  if (query === null) return undefined;
  const variables = search.get('variables');
  let parsed: unknown;
  try {
    parsed = variables === null ? undefined : JSON.parse(variables);
  } catch {
    return undefined;
  }
  return checked({ query, variables: parsed, operationName: search.get('operationName') ?? undefined });
}

function fromJson(body: string): GraphQLParams | undefined {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown> | null;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    return checked(parsed);
  } catch {
    return undefined;
  }
}

/** The params yoga would accept; anything odder is left to yoga to refuse. */
function checked(p: Record<string, unknown>): GraphQLParams | undefined {
  const { query, variables, operationName } = p;
  if (typeof query !== 'string') return undefined;
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) return undefined;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return undefined;
  return {
    query,
    variables: (variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: (operationName ?? undefined) as string | undefined,
  };
}

/** The body as text, or undefined once it exceeds `max` bytes (the rest is discarded). */
function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > max ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function tooLarge(res: ServerResponse, max: number): void {
  const body = JSON.stringify({
    errors: [{ message: `Request body size exceeded ${max} bytes`, extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } }],
  });
  res.writeHead(413, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
