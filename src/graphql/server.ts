import { createServer, type Server } from 'node:http';
import { type ExecutionArgs, GraphQLError } from 'graphql';
import { CloseCode, type OperationResult } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { DomainError } from '../serving/errors.js';
import { withoutHttp } from './errors.js';
import { authorizationOf, type EddyGraphQL } from './yoga.js';

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => OperationResult;
  subscribe: (args: ExecutionArgs) => OperationResult;
}

/**
 * An HTTP server answering GraphQL (queries, mutations, SSE subscriptions) through yoga, and
 * graphql-ws subscriptions over WebSocket on the same path, through the same envelop pipeline.
 */
export function createHttpServer(graphql: EddyGraphQL): { server: Server; close: (graceMs?: number) => Promise<void> } {
  const { yoga } = graphql;
  const server = createServer(graphql.handle);
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
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
      onSubscribe: async (ctx, _id, payload) => {
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
        const args: ExecutionArgs = {
          schema,
          operationName: payload.operationName,
          document: parse(payload.query),
          variableValues: payload.variables,
          contextValue,
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        if (errors.length > 0) return errors;
        return args;
      },
    },
    wss,
  );
  return {
    server,
    close: async (graceMs = 3000) => {
      await ws.dispose();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Requests in flight get `graceMs` to finish; open SSE streams would otherwise hold forever.
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
    },
  };
}
