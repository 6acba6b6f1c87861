import { createServer, type Server } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import type { OperationResult } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { EddyGraphQL } from './yoga.js';

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
  const ws = useServer(
    {
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
      onSubscribe: async (ctx, _id, payload) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
        });
        const args: ExecutionArgs = {
          schema,
          operationName: payload.operationName,
          document: parse(payload.query),
          variableValues: payload.variables,
          contextValue: await contextFactory(),
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
