import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type ExecutionArgs, getOperationAST, GraphQLError } from 'graphql';
import { CloseCode, type OperationResult } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { EddyService } from '../serving/eddy-service.js';
import { DomainError } from '../serving/errors.js';
import type { EddyContext } from './context.js';
import { withoutHttp } from './errors.js';
import { Broadcaster, documentKey } from './fanout/broadcaster.js';
import { createSseSubscriptions } from './fanout/sse-subscriptions.js';
import { WsSubscriber } from './fanout/ws-subscriber.js';
import { authorizationOf, type EddyGraphQL } from './yoga.js';

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => OperationResult;
  subscribe: (args: ExecutionArgs) => OperationResult;
}

export interface HttpServerOptions {
  /** Learner announcements, for the subscription fan-out. */
  service: EddyService;
  log: Logger;
  /**
   * `fanout`: one Broadcaster per process serves every subscription, SSE and WebSocket, executing
   * and serialising each update once (fanout/broadcaster.ts). `yoga`: every subscriber gets its
   * own stream from yoga or graphql-ws (the path before the fan-out, kept to compare).
   * @default 'fanout'
   */
  subscriptions?: 'fanout' | 'yoga';
  /** One metrics update per model per this many ms on average (fan-out only). @default 100 */
  subscriptionIntervalMs?: number;
  /** Largest request body in bytes, as yoga's. @default 1_048_576 */
  maxBodyBytes?: number;
}

/**
 * An HTTP server answering GraphQL (queries, mutations, SSE subscriptions) through the fast path
 * and yoga, and graphql-ws over WebSocket on the same path, through the same envelop pipeline.
 * Subscriptions, over both, are served by the process's Broadcaster unless `subscriptions: 'yoga'`.
 */
export function createHttpServer(graphql: EddyGraphQL, o: HttpServerOptions): { server: Server; close: (graceMs?: number) => Promise<void> } {
  const { yoga } = graphql;
  const broadcaster =
    o.subscriptions === 'yoga'
      ? undefined
      : new Broadcaster({
          source: o.service,
          stillValid: (principal) => graphql.access.authenticator.stillValid(principal),
          maskError: graphql.maskError,
          log: o.log,
          intervalMs: o.subscriptionIntervalMs,
        });
  const sse =
    broadcaster &&
    createSseSubscriptions({
      endpoint: yoga.graphqlEndpoint,
      maxBodyBytes: o.maxBodyBytes ?? 1_048_576,
      broadcaster,
      log: o.log,
      envelop: (req, params) => yoga.getEnveloped({ req, params } as unknown as Parameters<typeof yoga.getEnveloped>[0]),
      fallback: (req, res, body) => {
        // yoga reads a body already read from `req.body` (as behind body-parsing middleware).
        if (body !== undefined) (req as IncomingMessage & { body?: string }).body = body;
        void yoga(req, res);
      },
    });
  const server = createServer((req, res) => {
    if (sse === undefined || !sse(req, res)) graphql.handle(req, res);
  });
  // A message is a request: the same size limit as a body (ws closes the socket with 1009 past it).
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint, maxPayload: o.maxBodyBytes ?? 1_048_576 });
  /** The error a client may see, without the `http` extension that only means something over HTTP. */
  const shown = (error: unknown): GraphQLError => {
    const masked = graphql.maskError(error, 'Unexpected error.');
    return withoutHttp(masked instanceof GraphQLError ? masked : new GraphQLError(masked.message));
  };
  const ws = useServer(
    {
      // A socket without a valid key (when keys are required) is closed before it can subscribe:
      // 4401 with the reason `UNAUTHENTICATED: …`. Each subscribe checks the key again, so a key
      // revoked while the socket is open is refused its next operation.
      onConnect: async (ctx) => {
        const request = ctx.extra.request;
        try {
          await graphql.access.authenticator.authenticate(
            authorizationOf({ connectionParams: ctx.connectionParams, req: request } as Parameters<typeof authorizationOf>[0]),
            request.socket.remoteAddress,
          );
          return true;
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          ctx.extra.socket.close(CloseCode.Unauthorized, `${error.code}: ${error.message}`.slice(0, 123));
          return false;
        }
      },
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
      onSubscribe: async (ctx, id, payload) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
        });
        let contextValue: unknown;
        try {
          contextValue = await contextFactory();
        } catch (error) {
          return [shown(error)];
        }
        // A document that does not parse is this operation's error, not the socket's: thrown here,
        // graphql-ws closed the whole connection (4500) and every other subscription on it.
        let document: ExecutionArgs['document'];
        try {
          document = parse(payload.query);
        } catch (error) {
          return [shown(error)];
        }
        const args: ExecutionArgs = {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue,
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        if (errors.length > 0) return errors.map(withoutHttp);
        // As yoga answers it over HTTP; graphql-ws's own error ("Unable to identify operation") has no code.
        if (getOperationAST(args.document, args.operationName) === null) {
          return [new GraphQLError('Could not determine what operation to execute.', { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })];
        }
        if (broadcaster !== undefined && getOperationAST(args.document, args.operationName)?.operation === 'subscription') {
          // Served by the Broadcaster when it names a topic; otherwise (an error) the ordinary way.
          const topic = await broadcaster.topicOf(args);
          if (topic !== undefined) {
            const subscriber = new WsSubscriber(ctx.extra.socket, id, (contextValue as EddyContext).principal);
            subscriber.onLeave(broadcaster.join(topic, args, documentKey(payload), subscriber));
            return { ...args, rootValue: { execute, subscribe: () => subscriber } };
          }
        }
        return args;
      },
    },
    wss,
  );
  return {
    server,
    close: async (graceMs = 3000) => {
      // Subscribers get their "complete" (SSE responses end) rather than a cut connection; graphql-ws
      // sends its "complete" messages a few ticks later, before the sockets are closed.
      if (broadcaster !== undefined) {
        broadcaster.close();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await ws.dispose();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Requests in flight get `graceMs` to finish; open SSE streams would otherwise hold forever.
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
    },
  };
}
