import type { IncomingMessage, ServerResponse } from 'node:http';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { EddyService } from '../serving/eddy-service.js';
import type { EddyContext } from './context.js';
import { maskError } from './errors.js';
import { createFastPath } from './fast-path.js';
import { buildSchema } from './schema.js';
import { useErrorCodes } from './use-error-codes.js';

export interface YogaOptions {
  service: EddyService;
  log: Logger;
  /** Serve GraphiQL at /graphql for browsers. @default true */
  graphiql?: boolean;
  /** Largest request body in bytes. @default 1_048_576 */
  maxBodyBytes?: number;
}

/** The request handler: the compiled fast path for JSON POSTs, yoga for everything else. */
export interface EddyGraphQL {
  yoga: EddyYoga;
  handle: (req: IncomingMessage, res: ServerResponse) => void;
}

export type EddyYoga = YogaServerInstance<object, EddyContext>;

/** Builds the GraphQL server object; it is listened on elsewhere, so tests can call `yoga.fetch`. */
export function createEddyGraphQL(o: YogaOptions): EddyGraphQL {
  const schema = buildSchema();
  const yoga = createEddyYoga(o, schema);
  const fast = createFastPath<EddyContext>({
    schema,
    endpoint: yoga.graphqlEndpoint,
    maxBodyBytes: o.maxBodyBytes ?? 1_048_576,
    maskError: maskError(o.log),
    context: () => ({ service: o.service }),
  });
  return {
    yoga,
    handle: (req, res) => {
      if (!fast(req, res)) void yoga(req, res);
    },
  };
}

export function createEddyYoga(o: YogaOptions, schema = buildSchema()): EddyYoga {
  const log = o.log;
  return createYoga<object, EddyContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: o.graphiql === false ? false : { title: 'eddy', defaultQuery: DEFAULT_QUERY },
    context: () => ({ service: o.service }),
    maskedErrors: { maskError: maskError(log) },
    plugins: [useErrorCodes()],
    logging: {
      debug: (...args) => log.debug(args.map(String).join(' ')),
      info: (...args) => log.info(args.map(String).join(' ')),
      warn: (...args) => log.warn(args.map(String).join(' ')),
      error: (...args) => log.error(args.map(String).join(' ')),
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
