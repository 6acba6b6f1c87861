import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createKey, runEddy } from '../support/keys.js';
import { eventually, type GraphQLResponse, RunningServer, tempDb } from '../support/server.js';
import { subscribeSse, subscribeWs } from '../support/subscribe.js';

/**
 * Access control against a real `eddy serve`: keys made with the real `eddy keys` command on the
 * database, then every operation with every role over HTTP and WebSocket.
 */
const db = tempDb();
const keys: Record<'admin' | 'learn' | 'predict' | 'predictA' | 'adminScoped' | 'revoked' | 'limited', string> = {} as never;
let server: RunningServer;

const RATE = 5;

beforeAll(async () => {
  keys.admin = await createKey(db, 'admin', [], 'tests'); // first: makes and migrates the database
  const [learn, predict, predictA, adminScoped, revoked, limited] = await Promise.all([
    createKey(db, 'learn'),
    createKey(db, 'predict'),
    createKey(db, 'predict', ['a']),
    createKey(db, 'admin', ['a', 'fresh']),
    createKey(db, 'predict'),
    createKey(db, 'learn'),
  ]);
  Object.assign(keys, { learn, predict, predictA, adminScoped, revoked, limited });
  server = await RunningServer.start({
    db,
    key: keys.admin,
    args: ['--no-introspection', '--rate-limit-learn', String(RATE), '--checkpoint-interval', '200'],
  });
  for (const name of ['a', 'b']) {
    await server.data(`mutation { createModel(name: "${name}", spec: { type: "GaussianNB" }, metrics: ["Accuracy"]) { name } }`);
    await server.data(`mutation { learn(model: "${name}", features: { x: 1 }, label: true, wait: true) { eventId } }`);
  }
});

afterAll(async () => {
  await server?.stop();
  rmSync(dirname(db), { recursive: true, force: true });
});

function code(r: { errors?: Array<{ extensions?: { code?: string } }> }): string | undefined {
  return r.errors?.[0]?.extensions?.code;
}

const wsUrl = () => server.url.replace(/^http/, 'ws');

/** One operation over graphql-ws: its result, its errors, or how the socket was closed. */
async function overWs(
  connectionParams: Record<string, unknown> | undefined,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse & { closed?: { code: number; reason: string } }> {
  const client = createClient({ url: wsUrl(), webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
  try {
    return await new Promise((resolve) => {
      let result: GraphQLResponse = {};
      client.subscribe(
        { query, variables },
        {
          next: (r) => (result = r as GraphQLResponse),
          error: (e) => {
            if (Array.isArray(e)) resolve({ errors: e });
            else resolve({ closed: { code: (e as { code: number }).code, reason: String((e as { reason: string }).reason) } });
          },
          complete: () => resolve(result),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

/** Every operation, with arguments that succeed for a key allowed to run it. */
const OPERATIONS: Array<{ op: string; role: 'predict' | 'learn' | 'admin'; query: string; variables?: () => Record<string, unknown> }> = [
  { op: 'models', role: 'predict', query: '{ models { name } }' },
  { op: 'model', role: 'predict', query: '{ model(name: "a") { name version } }' },
  { op: 'prediction', role: 'predict', query: 'query($id: ID!) { prediction(id: $id) { id } }', variables: () => ({ id: predictionOfA }) },
  { op: 'predict', role: 'predict', query: '{ predict(model: "a", features: { x: 1 }) { id label } }' },
  { op: 'predictMany', role: 'predict', query: '{ predictMany(model: "a", features: [{ x: 1 }]) { id } }' },
  { op: 'learn', role: 'learn', query: 'mutation { learn(model: "a", features: { x: 2 }, label: false) { eventId } }' },
  {
    op: 'learnMany',
    role: 'learn',
    query: 'mutation { learnMany(model: "a", examples: [{ features: { x: 3 }, label: true }]) { eventIds } }',
  },
  {
    op: 'createModel',
    role: 'admin',
    query: 'mutation($name: String!) { createModel(name: $name, spec: { type: "GaussianNB" }) { name } }',
    variables: () => ({ name: `m${Math.random().toString(36).slice(2, 10)}` }),
  },
  { op: 'checkpoint', role: 'admin', query: 'mutation { checkpoint(model: "a") { number } }' },
  { op: 'rollback', role: 'admin', query: 'mutation { rollback(model: "a", version: 1) { number rollbackOf } }' },
  { op: 'audit', role: 'admin', query: 'mutation { audit(model: "a", version: 1) { ok } }' },
];
const RANK = { predict: 0, learn: 1, admin: 2 };
let predictionOfA = '';

describe('roles', () => {
  beforeAll(async () => {
    predictionOfA = (await server.data('{ predict(model: "a", features: { x: 1 }) { id } }')).predict.id;
  });

  for (const transport of ['HTTP', 'WebSocket'] as const) {
    it(`allow each role exactly its operations over ${transport}, FORBIDDEN otherwise`, async () => {
      for (const role of ['predict', 'learn', 'admin'] as const) {
        for (const o of OPERATIONS) {
          const variables = o.variables?.() ?? {};
          const r =
            transport === 'HTTP'
              ? await server.gql(o.query, variables, { key: keys[role] })
              : await overWs(bearer(keys[role]), o.query, variables);
          const what = `${role} ${o.op} over ${transport}: ${JSON.stringify(r)}`;
          if (RANK[role] >= RANK[o.role]) {
            expect(r.errors, what).toBeUndefined();
            expect(r.data?.[o.op], what).toBeTruthy();
          } else {
            expect(code(r), what).toBe('FORBIDDEN');
            expect(r.data?.[o.op] ?? null, what).toBeNull();
          }
        }
      }
    });
  }

  it('accept the key as { authorization } in WebSocket connection params too', async () => {
    const r = await overWs({ authorization: `Bearer ${keys.predict}` }, '{ models { name } }');
    expect(r.errors).toBeUndefined();
    expect((r.data?.models as unknown[]).length).toBeGreaterThan(0);
  });
});

describe('authentication', () => {
  it('refuses a missing, malformed, wrong or made-up key with UNAUTHENTICATED (HTTP 401), saying nothing about models', async () => {
    const forged = `${keys.admin.slice(0, 18)}${'A'.repeat(43)}`;
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: keys.admin },
      { authorization: 'Bearer nope' },
      { authorization: `Bearer ${forged}` },
    ];
    for (const headers of attempts) {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ model(name: "a") { name } missing: model(name: "zzz") { name } }' }),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      const body = (await response.json()) as GraphQLResponse;
      expect(body.data).toBeUndefined();
      expect(body.errors).toHaveLength(1);
      expect(code(body)).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(body)).not.toMatch(/"a"|zzz|MODEL/);
    }
    // yoga's path (GET) says the same.
    const get = await fetch(`${server.url}?query=${encodeURIComponent('{ models { name } }')}`);
    expect(get.status).toBe(401);
    expect(code((await get.json()) as GraphQLResponse)).toBe('UNAUTHENTICATED');
  });

  it('closes a WebSocket without a valid key before anything runs: 4401 UNAUTHENTICATED', async () => {
    for (const params of [undefined, bearer('eddy_000000000000_nope'), { Authorization: 42 }]) {
      const r = await overWs(params, '{ models { name } }');
      expect(r.closed?.code).toBe(4401);
      expect(r.closed?.reason).toMatch(/^UNAUTHENTICATED: /);
    }
  });

  it('refuses an SSE subscription without a key: HTTP 401', async () => {
    await expect(subscribeSse(server.url, 'subscription { metrics(model: "a") { samplesLearned } }')).rejects.toThrow(/401/);
  });

  it('never writes a key to the logs', () => {
    for (const key of Object.values(keys)) expect(server.output).not.toContain(key.slice(18));
  });
});

describe('model scope', () => {
  it('lists and reaches only the scoped models', async () => {
    const d = await server.data('{ models { name } }', {}, { key: keys.predictA });
    expect(d.models).toEqual([{ name: 'a' }]);
    expect(code(await server.gql('{ predict(model: "a", features: { x: 1 }) { id } }', {}, { key: keys.predictA }))).toBeUndefined();
    for (const query of ['{ model(name: "b") { name } }', '{ predict(model: "b", features: { x: 1 }) { id } }']) {
      expect(code(await server.gql(query, {}, { key: keys.predictA }))).toBe('FORBIDDEN');
    }
  });

  it('does not reveal whether a model exists: an unknown model is FORBIDDEN, like an existing one out of scope', async () => {
    for (const model of ['b', 'zzz']) {
      const r = await server.gql(`{ predict(model: "${model}", features: { x: 1 }) { id } }`, {}, { key: keys.predictA });
      expect(code(r)).toBe('FORBIDDEN');
      expect(r.errors?.[0].message).toBe(`this key may not use the model "${model}"`);
      const m = await server.gql(`{ model(name: "${model}") { name } }`, {}, { key: keys.predictA });
      expect(m.errors?.[0]).toMatchObject({ message: `this key may not use the model "${model}"`, extensions: { code: 'FORBIDDEN' } });
    }
    // An unscoped key is told the truth.
    expect(code(await server.gql('{ predict(model: "zzz", features: { x: 1 }) { id } }', {}, { key: keys.predict }))).toBe(
      'MODEL_NOT_FOUND',
    );
  });

  it('treats a prediction of another model as absent', async () => {
    const ofB = (await server.data('{ predict(model: "b", features: { x: 1 }) { id } }')).predict.id;
    const q = 'query($id: ID!) { prediction(id: $id) { id model } }';
    expect((await server.data(q, { id: ofB }, { key: keys.predictA })).prediction).toBeNull();
    expect((await server.data(q, { id: ofB }, { key: keys.predict })).prediction).toMatchObject({ id: ofB, model: 'b' });
  });

  it('lets a scoped admin create only the models in its scope', async () => {
    const create = 'mutation($name: String!) { createModel(name: $name, spec: { type: "GaussianNB" }) { name } }';
    expect((await server.data(create, { name: 'fresh' }, { key: keys.adminScoped })).createModel.name).toBe('fresh');
    expect(code(await server.gql(create, { name: 'other' }, { key: keys.adminScoped }))).toBe('FORBIDDEN');
    const listed = await server.data('{ models { name } }', {}, { key: keys.adminScoped });
    expect(listed.models.map((m: { name: string }) => m.name)).toEqual(['a', 'fresh']);
  });

  it('applies to subscriptions over WebSocket and SSE', async () => {
    const sub = (model: string) => `subscription { metrics(model: "${model}") { samplesLearned } }`;
    for (const model of ['b', 'zzz']) {
      const r = await overWs(bearer(keys.predictA), sub(model));
      expect(code(r)).toBe('FORBIDDEN');
    }
    const sse = await subscribeSse(server.url, sub('b'), {}, bearer(keys.predictA));
    await eventually(async () => (sse.errors.length > 0 ? true : undefined), 5000, 'an SSE error');
    sse.close();
    expect(sse.errors[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('revocation', () => {
  it('takes effect in every running server process within about a second, subscriptions included', async () => {
    const query = '{ models { name } }';
    expect(code(await server.gql(query, {}, { key: keys.revoked }))).toBeUndefined();
    const sub = 'subscription { metrics(model: "a") { samplesLearned } }';
    const ws = await subscribeWs<{ metrics: { samplesLearned: number } }>(server.url, sub, {}, bearer(keys.revoked));
    const sse = await subscribeSse<{ metrics: { samplesLearned: number } }>(server.url, sub, {}, bearer(keys.revoked));
    try {
      await server.data('mutation { learn(model: "a", features: { x: 1 }, label: true, wait: true) { eventId } }');
      await eventually(async () => (ws.received.length > 0 && sse.received.length > 0 ? true : undefined), 10_000, 'updates');

      const revoke = await runEddy(['keys', 'revoke', keys.revoked.slice(5, 17), '--db', db]);
      expect(revoke.code, revoke.stderr).toBe(0);
      // Several requests in parallel reach both server processes; all must be refused.
      await eventually(
        async () => {
          const rs = await Promise.all(Array.from({ length: 6 }, () => server.gql(query, {}, { key: keys.revoked })));
          return rs.every((r) => code(r) === 'UNAUTHENTICATED') ? true : undefined;
        },
        3000,
        'the revoked key refused',
      );
      const r = await server.gql(query, {}, { key: keys.revoked });
      expect(r.errors?.[0].message).toBe('this API key has been revoked');

      // Open subscriptions get one UNAUTHENTICATED error at their next update, then end.
      await server.data('mutation { learn(model: "a", features: { x: 1 }, label: true, wait: true) { eventId } }');
      await eventually(async () => (ws.errors.length > 0 && sse.errors.length > 0 ? true : undefined), 10_000, 'errors');
      expect(ws.errors[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(sse.errors[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect((await overWs(bearer(keys.revoked), query)).closed?.code).toBe(4401);
    } finally {
      ws.close();
      sse.close();
    }
  });
});

describe('introspection and rate limits', () => {
  it('--no-introspection refuses __schema with GRAPHQL_VALIDATION_FAILED on both paths', async () => {
    const query = '{ __schema { types { name } } }';
    const post = await server.gql(query);
    expect(code(post)).toBe('GRAPHQL_VALIDATION_FAILED');
    const get = await fetch(`${server.url}?query=${encodeURIComponent(query)}`, { headers: bearer(keys.admin) });
    expect(code((await get.json()) as GraphQLResponse)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(code(await overWs(bearer(keys.admin), query))).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await server.data('{ __typename }')).__typename).toBe('Query');
  });

  it('answers learn calls over the per-key rate with RATE_LIMITED and a retry hint', async () => {
    const learn = 'mutation { learn(model: "a", features: { x: 1 }, label: true) { eventId } }';
    // More than the burst of every server process together, at once.
    const rs = await Promise.all(Array.from({ length: RATE * 6 }, () => server.gql(learn, {}, { key: keys.limited })));
    const limited = rs.filter((r) => code(r) === 'RATE_LIMITED');
    expect(limited.length).toBeGreaterThan(0);
    expect(rs.filter((r) => r.data?.learn).length).toBeGreaterThanOrEqual(RATE);
    const retryAfterMs = limited[0].errors?.[0].extensions?.retryAfterMs as number;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(1000 / RATE);
    // Other keys have their own budget, and the limited key is served again after the hint.
    expect(code(await server.gql(learn, {}, { key: keys.learn }))).toBeUndefined();
    await new Promise((r) => setTimeout(r, 1000));
    expect(code(await server.gql(learn, {}, { key: keys.limited }))).toBeUndefined();
  });
});
