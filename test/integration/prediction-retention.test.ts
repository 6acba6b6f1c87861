import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, RunningServer, sleep } from '../support/server.js';

const LOGREG = { steps: [{ type: 'StandardScaler' }, { type: 'LogisticRegression' }] };
const PREDICT = 'query($f: JSON!) { predict(model: "m", features: $f) { id } }';
const LOOKUP = 'query($p: ID!) { prediction(id: $p) { id } }';
const LATE = 'mutation($p: ID!, $y: JSON!) { learn(model: "m", predictionId: $p, label: $y) { eventId } }';

let server: RunningServer;

beforeAll(async () => {
  server = await RunningServer.start({ args: ['--prediction-retention', '2'] });
  await server.data('mutation($s: JSON!) { createModel(name: "m", spec: $s) { name } }', { s: LOGREG });
});

afterAll(async () => {
  await server?.stop();
});

describe('--prediction-retention', () => {
  it('forgets served predictions once they are older than the window: a late label for one is PREDICTION_NOT_FOUND', async () => {
    const old = (await server.data<{ predict: { id: string } }>(PREDICT, { f: { x: 1 } })).predict.id;
    const kept = (await server.data<{ predict: { id: string } }>(PREDICT, { f: { x: 2 } })).predict.id;
    // Within the window, it is found (whichever process served it).
    expect((await server.data<{ learn: { eventId: number } }>(LATE, { p: kept, y: true })).learn.eventId).toBeGreaterThan(0);
    expect((await server.data<{ prediction: { id: string } | null }>(LOOKUP, { p: old })).prediction?.id).toBe(old);
    await sleep(2000);
    await eventually(
      async () => ((await server.data<{ prediction: unknown }>(LOOKUP, { p: old })).prediction === null ? true : undefined),
      10_000,
      'the old prediction pruned',
    );
    const late = await server.gql(LATE, { p: old, y: false });
    expect(late.errors?.[0]?.extensions?.code).toBe('PREDICTION_NOT_FOUND');
    // A prediction served now is labelled as usual.
    const fresh = (await server.data<{ predict: { id: string } }>(PREDICT, { f: { x: 3 } })).predict.id;
    expect((await server.data<{ learn: { eventId: number } }>(LATE, { p: fresh, y: true })).learn.eventId).toBeGreaterThan(0);
  });
});
