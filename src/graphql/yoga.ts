import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationRule } from 'graphql';
import { createYoga, type YogaInitialContext, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Authenticator } from '../serving/authenticator.js';
import type { EddyService } from '../serving/eddy-service.js';
import { RateLimiter, type RateLimits } from '../serving/rate-limiter.js';
import { type Access, createContext, type EddyContext } from './context.js';
import { maskError } from './errors.js';
import { graphiqlPage, serveGraphiqlAsset } from './graphiql.js';
import { DEFAULT_QUERY_LIMITS, parseWithLimits, type QueryLimits, queryLimitRules, useQueryLimits } from './query-limits.js';
import { createFastPath } from './fast-path.js';
import { NoProtoKeyRule } from './no-proto-key-rule.js';
import { buildSchema } from './schema.js';
import { useErrorCodes } from './use-error-codes.js';
import { useValidationRules } from './use-validation-rules.js';

export interface YogaOptions {
  service: EddyService;
  log: Logger;
  /** Serve GraphiQL at /graphql for browsers. @default true */
  graphiql?: boolean;
  /** Largest request body in bytes. @default 1_048_576 */
  maxBodyBytes?: number;
  /** Verifies API keys; with none in the database, everyone is admin. */
  authenticator: Authenticator;
  /** Calls per second per key (or client address without keys); 0 for none. @default no limits */
  rateLimits?: RateLimits;
  /** Answer introspection queries (`__schema`, `__type`). @default true */
  introspection?: boolean;
  /** Depth, aliases, cost, tokens and directives of a document (query-limits.ts). @default DEFAULT_QUERY_LIMITS */
  queryLimits?: Partial<QueryLimits>;
}

/** The request handler: the compiled fast path for JSON POSTs, yoga for everything else. */
export interface EddyGraphQL {
  yoga: EddyYoga;
  handle: (req: IncomingMessage, res: ServerResponse) => void;
  access: Access;
  /** Turns an error into what a client may see (errors.ts `maskError`). */
  maskError: (error: unknown, message: string) => Error;
}

export type EddyYoga = YogaServerInstance<object, EddyContext>;

/** Builds the GraphQL server object; it is listened on elsewhere, so tests can call `yoga.fetch`. */
export function createEddyGraphQL(o: YogaOptions): EddyGraphQL {
  const schema = buildSchema();
  const access = accessOf(o);
  const yoga = createEddyYoga(o, schema, access);
  const mask = maskError(o.log);
  const fast = createFastPath<EddyContext>({
    schema,
    endpoint: yoga.graphqlEndpoint,
    maxBodyBytes: o.maxBodyBytes ?? 1_048_576,
    rules: validationRules(o),
    parse: parseWithLimits(queryLimitsOf(o)),
    maskError: mask,
    context: (req) => createContext(o.service, access, req.headers.authorization, req.socket.remoteAddress),
  });
  // GraphiQL's page comes from yoga (renderGraphiQL); the files it names, from here.
  const graphiql = o.graphiql === false ? () => false : serveGraphiqlAsset(yoga.graphqlEndpoint);
  return {
    yoga,
    access,
    maskError: mask,
    handle: (req, res) => {
      if (!fast(req, res) && !graphiql(req, res)) void yoga(req, res);
    },
  };
}

function accessOf(o: YogaOptions): Access {
  return { authenticator: o.authenticator, limiter: new RateLimiter(o.rateLimits ?? { predict: 0, learn: 0 }) };
}

/** Rules on top of graphql-js's own, the same for the fast path and yoga. */
function validationRules(o: YogaOptions): ValidationRule[] {
  const rules = [...queryLimitRules(queryLimitsOf(o)), NoProtoKeyRule];
  return o.introspection === false ? [NoSchemaIntrospectionCustomRule, ...rules] : rules;
}

function queryLimitsOf(o: YogaOptions): QueryLimits {
  return { ...DEFAULT_QUERY_LIMITS, ...o.queryLimits };
}

/**
 * What yoga's context factory receives: over HTTP the Fetch request and node's `req`; over
 * graphql-ws (server.ts) the connection params and the upgrade request as `req`.
 */
type InitialContext = YogaInitialContext & {
  req?: IncomingMessage;
  connectionParams?: Record<string, unknown>;
};

/** The `Authorization` value: a WebSocket's connection params (either spelling), else the header. */
export function authorizationOf(initial: InitialContext): string | undefined {
  const params = initial.connectionParams;
  const fromParams = params?.Authorization ?? params?.authorization;
  if (typeof fromParams === 'string') return fromParams;
  return initial.request?.headers.get('authorization') ?? initial.req?.headers.authorization ?? undefined;
}

export function createEddyYoga(o: YogaOptions, schema = buildSchema(), access = accessOf(o)): EddyYoga {
  const log = o.log;
  return createYoga<object, EddyContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: o.graphiql === false ? false : { title: 'eddy', defaultQuery: DEFAULT_QUERY },
    renderGraphiQL: graphiqlPage('/graphql'),
    context: (initial: InitialContext) =>
      createContext(o.service, access, authorizationOf(initial), initial.req?.socket?.remoteAddress),
    maskedErrors: { maskError: maskError(log) },
    // The fast path's body limit, for what yoga serves: POSTs it passes on (SSE, multipart, other
    // content types). A GET's query string is bounded by node's header size (16 KiB).
    maxRequestBodySize: o.maxBodyBytes ?? 1_048_576,
    plugins: [useErrorCodes(), useValidationRules(validationRules(o)), useQueryLimits(queryLimitsOf(o))],
    logging: {
      debug: (...args) => log.debug(args.map(String).join(' ')),
      info: (...args) => log.info(args.map(String).join(' ')),
      warn: (...args) => log.warn(args.map(String).join(' ')),
      error: (...args) => {
        // yoga logs every error maskError replaced: a client's mistake (a DomainError) is no server
        // error, and maskError (errors.ts) logs the unexpected ones itself, with their stack.
        if (args.length > 0 && args.every((a) => a instanceof GraphQLError)) log.debug(args.map(String).join(' '));
        else log.error(args.map(String).join(' '));
      },
    },
  });
}

const DEFAULT_QUERY = `# eddy: create a model, teach it, ask it.
mutation Create {
  createModel(
    name: "phishing"
    spec: { steps: [{ type: "StandardScaler" }, { type: "LogisticRegression" }] }
  ) { name task version }
}

mutation Learn {
  learn(model: "phishing", features: { https: 1, long_url: 0 }, label: true, wait: true) {
    eventId applied metrics { text }
  }
}

query Predict {
  predict(model: "phishing", features: { https: 1, long_url: 0 }) { id label probabilities version }
}
`;
