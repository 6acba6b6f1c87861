/**
 * graphql-yoga out of the box: schema `{ hello: String }`, a resolver returning a constant, every
 * yoga default left on. Usage: `node --import tsx bench/server/bare-yoga.ts PORT WORKERS`.
 */
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';
import { runCluster } from './cluster.js';

runCluster(() => {
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: 'type Query { hello: String }',
      resolvers: { Query: { hello: () => 'world' } },
    }),
  });
  return createServer(yoga);
});
