import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import { type DocumentNode, GraphQLError, type ParseOptions, type Source, type ValidationContext, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Limits on the shape of a GraphQL document, enforced by graphql-armor
 * (Escape-Technologies/graphql-armor) on both request paths: yoga and the compiled fast path.
 * A document over a limit is refused before anything runs: `GRAPHQL_PARSE_FAILED` for tokens,
 * `GRAPHQL_VALIDATION_FAILED` for the others (HTTP 400), with a message naming the limit.
 * Each has a `serve` option (`--max-depth`, `--max-aliases`, `--max-cost`, `--max-tokens`,
 * `--max-directives`).
 */
export interface QueryLimits {
  /** Deepest field nesting, fragments counted as if inlined (eddy's own schema needs 4). @default 6 */
  maxDepth: number;
  /**
   * Aliased fields in an operation, `__typename` aside. Each alias can run a resolver again
   * (`a: audit(…) b: audit(…)`); for many examples use `predictMany` / `learnMany`. @default 50
   */
  maxAliases: number;
  /**
   * armor's static cost: 1 per scalar field, 2 per object field, children ×1.5 per level, an
   * object's subtree × a literal `first:` argument. Introspection (`__schema`) is free. @default 5000
   */
  maxCost: number;
  /**
   * Lexical tokens in a document (punctuation, names, values). Bounds parsing and validation work;
   * send large inputs as variables, which are not tokens. @default 1000
   */
  maxTokens: number;
  /** Directives (`@include`, `@skip`, unknown ones too) in an operation. @default 50 */
  maxDirectives: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 6,
  maxAliases: 50,
  maxCost: 5000,
  maxTokens: 1000,
  maxDirectives: 50,
};

/**
 * armor's rules throw by default, which graphql-js's `validate` does not catch (yoga would answer
 * without a code, the fast path with a 500). Reported instead, a rejection is an ordinary
 * validation error: coded GRAPHQL_VALIDATION_FAILED by both paths. armor prefixes every message
 * with "Syntax Error:", which these are not.
 */
const reported = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''))),
  ],
};

/**
 * The validation rules for depth, aliases, cost and directives: the fast path's `rules` and, through
 * `useValidationRules`, yoga's (and graphql-ws's).
 *
 * @example
 * const errors = validate(schema, parse('{ a: models { name } b: models { name } }'), [
 *   ...specifiedRules,
 *   ...queryLimitRules({ ...DEFAULT_QUERY_LIMITS, maxAliases: 1 }),
 * ]);
 * // errors[0].message === 'Aliases limit of 1 exceeded, found 2.'
 */
export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ...reported }),
    maxAliasesRule({ n: limits.maxAliases, ...reported }),
    costLimitRule({ maxCost: limits.maxCost, flattenFragments: true, ...reported }),
    maxDirectivesRule({ n: limits.maxDirectives, ...reported }),
  ] as ValidationRule[];
}

/** A syntax error as both paths answer it: coded GRAPHQL_PARSE_FAILED. */
function parseFailed(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== 'GraphQLError') return error;
  const e = error as GraphQLError;
  if (e.extensions?.code !== undefined) return e;
  return new GraphQLError(e.message, {
    source: e.source,
    positions: e.positions,
    extensions: { ...e.extensions, code: 'GRAPHQL_PARSE_FAILED' },
  });
}

/**
 * graphql-js's `parse` with armor's token limit (its `MaxTokensParserWLexer`): the parser of both
 * paths, so they refuse the same documents with the same syntax error
 * (`Syntax Error: Token limit of 1000 exceeded.`), coded GRAPHQL_PARSE_FAILED.
 */
export function parseWithLimits(limits: QueryLimits): (source: string | Source, options?: ParseOptions) => DocumentNode {
  return (source, options) => {
    try {
      return new MaxTokensParserWLexer(source, { ...options, n: limits.maxTokens }).parseDocument();
    } catch (error) {
      throw parseFailed(error);
    }
  };
}

/**
 * yoga's parser: `parseWithLimits`. Its errors carry their code from the start, because yoga
 * caches a document's parse error and rethrows it before its own hooks would code it (the SSE
 * subscriptions path parses through yoga's envelop first, without a request).
 */
export function useQueryLimits(limits: QueryLimits): Plugin {
  const parse = parseWithLimits(limits);
  return {
    onParse({ setParseFn }) {
      setParseFn(parse);
    },
  };
}
