import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type DocumentNode,
  type ExecutionResult,
  getOperationAST,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  parse,
  specifiedRules,
  validate,
  type ValidationRule,
} from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';

/** Turns any error into what the client may see (see errors.ts `maskError`). */
type MaskError = (error: unknown, message: string) => Error;

export interface FastPathOptions<C> {
  schema: GraphQLSchema;
  endpoint: string;
  maxBodyBytes: number;
  /** Extra validation rules (query limits, no introspection), the same as yoga's. */
  rules?: readonly ValidationRule[];
  /** Parses a document, e.g. with a token limit (query-limits.ts), as yoga's parser does. @default graphql-js's `parse` */
  parse?: (source: string) => DocumentNode;
  maskError: MaskError;
  /** Builds the resolver context; may throw (or reject with) a DomainError (e.g. UNAUTHENTICATED). */
  context: (request: IncomingMessage) => C | Promise<C>;
  /** Documents kept compiled. @default 1000 */
  cacheSize?: number;
}

type Prepared =
  | { kind: 'compiled'; query: CompiledQuery }
  | { kind: 'errors'; status: number; errors: readonly GraphQLError[] }
  | { kind: 'subscription' };

interface Body {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function coded(error: GraphQLError, code: string): GraphQLError {
  if (error.extensions?.code !== undefined) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}

/**
 * The hot path for queries and mutations sent as POST application/json: parse and validate each
 * distinct document once, compile it with graphql-jit, and execute the compiled function
 * directly on node:http, skipping the Fetch-API emulation that dominates yoga's per-request cost
 * (see README, Performance). Everything else (GET, GraphiQL, SSE and multipart, batches) goes to
 * yoga, which shares the schema, the context, the validation rules and the error masking.
 * Returns false when the request is not one it handles; it has then consumed nothing.
 */
export function createFastPath<C>(o: FastPathOptions<C>) {
  const cache = new Map<string, Prepared>();
  const cacheSize = o.cacheSize ?? 1000;
  const rules = [...specifiedRules, ...(o.rules ?? [])];

  function prepare(query: string, operationName: string | undefined): Prepared {
    const key = operationName === undefined ? query : `${operationName}\u0000${query}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    let document: DocumentNode;
    let prepared: Prepared;
    try {
      document = (o.parse ?? parse)(query);
    } catch (error) {
      prepared = { kind: 'errors', status: 400, errors: [coded(error as GraphQLError, 'GRAPHQL_PARSE_FAILED')] };
      return remember(key, prepared);
    }
    const errors = validate(o.schema, document, rules);
    if (errors.length > 0) {
      prepared = { kind: 'errors', status: 400, errors: errors.map((e) => coded(e, 'GRAPHQL_VALIDATION_FAILED')) };
    } else if (getOperationAST(document, operationName) === null) {
      // yoga's code for it; graphql-jit would answer BAD_USER_INPUT.
      const message = operationName === undefined ? 'Must provide operation name if query contains multiple operations.' : `Unknown operation named "${operationName}".`;
      prepared = { kind: 'errors', status: 400, errors: [new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })] };
    } else if (getOperationAST(document, operationName)?.operation === 'subscription') {
      prepared = { kind: 'subscription' };
    } else {
      const compiled = compileQuery(o.schema, document, operationName);
      prepared = isCompiledQuery(compiled)
        ? { kind: 'compiled', query: compiled }
        : { kind: 'errors', status: 400, errors: (compiled.errors ?? []).map((e) => coded(e, 'BAD_USER_INPUT')) };
    }
    return remember(key, prepared);
  }

  function remember(key: string, prepared: Prepared): Prepared {
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
    cache.set(key, prepared);
    return prepared;
  }

  function format(errors: readonly GraphQLError[]): GraphQLFormattedError[] {
    return errors.map((error) => {
      // Errors from resolvers carry their cause; coercion errors from graphql-jit carry none.
      const shown = error.originalError === undefined ? coded(error, 'BAD_USER_INPUT') : o.maskError(error, 'Unexpected error.');
      return shown instanceof GraphQLError ? shown.toJSON() : { message: shown.message };
    });
  }

  function send(res: ServerResponse, status: number, payload: ExecutionResult | { errors: GraphQLFormattedError[] }): void {
    const body = JSON.stringify(payload);
    // A flat [name, value, …] list: node copies no header object.
    res.writeHead(status, ['content-type', JSON_HEADERS['content-type'], 'content-length', String(Buffer.byteLength(body))]);
    res.end(body);
  }

  /** Errors that refuse the whole request, with the status (and headers) their `extensions.http` asks for. */
  function refuse(res: ServerResponse, errors: GraphQLFormattedError[]): void {
    let status = 200;
    let headers: Record<string, string> = {};
    const shown = errors.map((error) => {
      const http = error.extensions?.http as { status?: number; headers?: Record<string, string> } | undefined;
      if (http === undefined) return error;
      status = Math.max(status, http.status ?? 200);
      headers = { ...headers, ...http.headers };
      const { http: _http, ...extensions } = error.extensions ?? {};
      return { ...error, extensions };
    });
    const body = JSON.stringify({ errors: shown });
    res.writeHead(status, { ...JSON_HEADERS, ...headers, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  function fail(res: ServerResponse, status: number, message: string, code: string): void {
    send(res, status, { errors: [{ message, extensions: { code } }] });
  }

  /**
   * Runs a request. Nothing here awaits unless it must: with the key's verification remembered
   * and a resolver that answers from memory (predict), the whole request runs in one turn of the
   * event loop, without a promise.
   */
  function execute(req: IncomingMessage, res: ServerResponse, raw: string): void {
    let body: Body;
    try {
      body = JSON.parse(raw) as Body;
    } catch {
      return fail(res, 400, 'the request body is not valid JSON', 'BAD_REQUEST');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return fail(res, 400, 'the request body must be a JSON object with a "query"', 'BAD_REQUEST');
    }
    const query = body.query;
    if (typeof query !== 'string') return fail(res, 400, 'the request must have a "query" string', 'BAD_REQUEST');
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
    const variables = body.variables ?? undefined;
    if (variables !== undefined && (variables === null || typeof variables !== 'object' || Array.isArray(variables))) {
      return fail(res, 400, '"variables" must be a JSON object', 'BAD_REQUEST');
    }
    // Authentication comes first: without a valid key a client learns nothing, not even whether
    // its document is valid, and costs no parsing or validation.
    let context: C | Promise<C>;
    try {
      context = o.context(req);
    } catch (error) {
      return unauthorized(res, error);
    }
    const vars = variables as Record<string, unknown> | undefined;
    if (!isPromise(context)) return respond(res, context, query, operationName, vars);
    context
      .then(
        (c) => respond(res, c, query, operationName, vars),
        (error: unknown) => unauthorized(res, error),
      )
      .catch((error: unknown) => internal(res, error));
  }

  function respond(res: ServerResponse, context: C, query: string, operationName: string | undefined, variables: Record<string, unknown> | undefined): void {
    const prepared = prepare(query, operationName);
    if (prepared.kind === 'errors') return send(res, prepared.status, { errors: format(prepared.errors) });
    if (prepared.kind === 'subscription') {
      return fail(res, 400, 'subscriptions need SSE (accept: text/event-stream) or a WebSocket', 'BAD_REQUEST');
    }
    const result = prepared.query.query(undefined, context, variables);
    if (isPromise(result)) result.then((r) => answer(res, r), (error: unknown) => internal(res, error));
    else answer(res, result);
  }

  function answer(res: ServerResponse, result: ExecutionResult): void {
    if (result.errors && result.errors.length > 0) return send(res, 200, { ...result, errors: format(result.errors) });
    send(res, 200, result);
  }

  function unauthorized(res: ServerResponse, error: unknown): void {
    refuse(res, format([new GraphQLError('context', { originalError: error as Error })]));
  }

  function internal(res: ServerResponse, error: unknown): void {
    if (!res.headersSent) send(res, 500, { errors: format([new GraphQLError('internal', { originalError: error as Error })]) });
  }

  return function handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    const path = url.indexOf('?') >= 0 ? url.slice(0, url.indexOf('?')) : url;
    if (path !== o.endpoint) return false;
    const type = req.headers['content-type'] ?? '';
    if (!type.startsWith('application/json')) return false;
    const accept = req.headers.accept;
    if (accept !== undefined && !/application\/(graphql-response\+)?json|\*\/\*/.test(accept)) return false;

    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > o.maxBodyBytes) {
      fail(res, 413, `the request body is larger than ${o.maxBodyBytes} bytes`, 'LIMIT_EXCEEDED');
      req.resume();
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > o.maxBodyBytes && !refused) {
        refused = true;
        fail(res, 413, `the request body is larger than ${o.maxBodyBytes} bytes`, 'LIMIT_EXCEEDED');
      }
      if (!refused) chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      const raw = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
      try {
        execute(req, res, raw);
      } catch (error) {
        internal(res, error);
      }
    });
    return true;
  };
}
