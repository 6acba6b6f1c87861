import { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import type { Logger } from 'pino';
import { DomainError } from '../serving/errors.js';

/** Finds a DomainError behind whatever graphql-js wrapped around it. */
function domainErrorOf(error: unknown): DomainError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (current instanceof DomainError) return current;
    current = (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}

/**
 * HTTP for errors that refuse a whole request. yoga reads `extensions.http` for the response and
 * strips it from the body; the fast path and graphql-ws do the same with `withoutHttp`.
 */
const HTTP: Partial<Record<DomainError['code'], { status: number; headers?: Record<string, string> }>> = {
  UNAUTHENTICATED: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } },
};

/** An error as sent to a client: without the `http` extension that only sets the response's status. */
export function withoutHttp(error: GraphQLError): GraphQLError {
  if (error.extensions?.http === undefined) return error;
  const { http: _http, ...extensions } = error.extensions;
  return new GraphQLError(error.message, { nodes: error.nodes, path: error.path, extensions });
}

/**
 * yoga's `maskedErrors.maskError`: an expected DomainError becomes a GraphQL error with its stable
 * `extensions.code` (documented in schema.graphql); GraphQL's own errors pass through; anything
 * else is logged in full and reaches the client only as INTERNAL_SERVER_ERROR.
 */
export function maskError(log: Logger) {
  return (error: unknown, message: string): Error => {
    const domain = domainErrorOf(error);
    if (domain !== undefined) {
      const path = error instanceof GraphQLError ? error.path : undefined;
      return createGraphQLError(domain.message, {
        path,
        extensions: { code: domain.code, ...domain.details, ...(HTTP[domain.code] && { http: HTTP[domain.code] }) },
      });
    }
    if (error instanceof GraphQLError && error.originalError === undefined) return error;
    if (error instanceof GraphQLError && error.originalError instanceof GraphQLError) {
      // A GraphQL error a resolver threw keeps its code. graphql-js's own wrap the detail of a
      // variable that does not coerce (`$f got invalid value [null]; …`): bad input, as on the fast path.
      if (error.originalError.extensions?.code !== undefined) return error.originalError;
      return createGraphQLError(error.message, { nodes: error.nodes, path: error.path, extensions: { code: 'BAD_USER_INPUT' } });
    }
    log.error({ err: error instanceof GraphQLError ? (error.originalError ?? error) : error }, 'unexpected error');
    const path = error instanceof GraphQLError ? error.path : undefined;
    return createGraphQLError(message, { path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  };
}
