import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { createSchema } from 'graphql-yoga';
import type { EddyContext } from './context.js';
import { modelTypes } from './resolvers/model-types.js';
import { Mutation } from './resolvers/mutation.js';
import { Query } from './resolvers/query.js';
import { Subscription } from './resolvers/subscription.js';

export const SCHEMA_PATH = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

/** The executable schema: `schema.graphql` is the contract, the resolvers are thin. */
export function buildSchema() {
  return createSchema<EddyContext>({
    typeDefs: readFileSync(SCHEMA_PATH, 'utf8'),
    resolvers: { JSON: JSONResolver, DateTime: DateTimeResolver, Query, Mutation, Subscription, ...modelTypes },
  });
}
