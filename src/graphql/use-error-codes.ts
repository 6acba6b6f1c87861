import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

function withCode(error: GraphQLError): GraphQLError {
  // Resolver errors carry an originalError and are coded by maskError later.
  if (error.extensions?.code !== undefined || error.originalError !== undefined) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
  });
}

/**
 * Gives every error a code: graphql-js reports variables that do not coerce (a null for `JSON!`,
 * a string for `Int`) without one, before any resolver runs. Those are bad user input.
 */
export function useErrorCodes(): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          if (result.errors?.some((e) => e.extensions?.code === undefined && e.originalError === undefined)) {
            setResult({ ...result, errors: result.errors.map(withCode) });
          }
        },
      };
    },
  };
}
