import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, RunningServer } from '../support/server.js';

const LOGREG = { steps: [{ type: 'StandardScaler' }, { type: 'LogisticRegression', optimizer: { type: 'SGD', lr: 0.1 } }] };
const LINREG = { steps: [{ type: 'StandardScaler' }, { type: 'LinearRegression' }] };

let server: RunningServer;

beforeAll(async () => {
  server = await RunningServer.start({ args: ['--max-batch', '50', '--checkpoint-interval', '200'] });
});

afterAll(async () => {
  await server?.stop();
});

function code(r: { errors?: Array<{ extensions?: { code?: string } }> }): string | undefined {
  return r.errors?.[0]?.extensions?.code;
}

const CREATE = `mutation($name: String!, $spec: JSON!, $metrics: [String!]) {
  createModel(name: $name, spec: $spec, metrics: $metrics) { name task version samplesLearned metrics { name text } spec }
}`;
const LEARN = `mutation($model: String!, $features: JSON, $label: JSON!, $predictionId: ID, $key: String, $wait: Boolean) {
  learn(model: $model, features: $features, label: $label, predictionId: $predictionId, key: $key, wait: $wait) {
    eventId applied samplesLearned version duplicate metrics { name value text }
  }
}`;
const PREDICT = `query($model: String!, $features: JSON!, $version: Int) {
  predict(model: $model, features: $features, version: $version) { id model version label probabilities value }
}`;

describe('models', () => {
  it('creates a model with the task’s default metrics and a complete spec', async () => {
    const d = await server.data(CREATE, { name: 'phish', spec: LOGREG });
    expect(d.createModel).toMatchObject({ name: 'phish', task: 'BINARY', version: 1, samplesLearned: 0 });
    expect(d.createModel.metrics.map((m: { name: string }) => m.name)).toEqual(['Accuracy', 'ROCAUC', 'LogLoss', 'F1']);
    expect(d.createModel.spec.steps[1]).toMatchObject({ type: 'LogisticRegression', l2: 0, interceptLr: 0.01 });
  });

  it('refuses a second model with the same name: MODEL_EXISTS', async () => {
    expect(code(await server.gql(CREATE, { name: 'phish', spec: LOGREG }))).toBe('MODEL_EXISTS');
  });

  it('refuses a bad spec with a message naming the path: INVALID_SPEC', async () => {
    const bad = { steps: [{ type: 'StandardScaler' }, { type: 'LogisticRegression', optimizer: { type: 'SGD', lr: -1 } }] };
    const r = await server.gql(CREATE, { name: 'bad', spec: bad });
    expect(code(r)).toBe('INVALID_SPEC');
    expect(r.errors?.[0].message).toContain('steps[1].optimizer.lr must be > 0');
    expect(code(await server.gql(CREATE, { name: 'bad', spec: { type: 'Nope' } }))).toBe('INVALID_SPEC');
    expect(code(await server.gql(CREATE, { name: 'bad', spec: { steps: [{ type: 'StandardScaler' }] } }))).toBe('INVALID_SPEC');
  });

  it('refuses unknown metrics and metrics of another task: INVALID_METRIC', async () => {
    expect(code(await server.gql(CREATE, { name: 'bad', spec: LOGREG, metrics: ['Nope'] }))).toBe('INVALID_METRIC');
    expect(code(await server.gql(CREATE, { name: 'bad', spec: LOGREG, metrics: ['MAE'] }))).toBe('INVALID_METRIC');
    const d = await server.data<{ models: Array<{ name: string }> }>('{ models { name } }');
    expect(d.models.map((m) => m.name)).not.toContain('bad');
  });

  it('lists models and finds one by name, null for an unknown name', async () => {
    const d = await server.data('{ models { name } model(name: "phish") { name task } missing: model(name: "zzz") { name } }');
    expect(d.models.map((m: { name: string }) => m.name)).toContain('phish');
    expect(d.model).toEqual({ name: 'phish', task: 'BINARY' });
    expect(d.missing).toBeNull();
  });
});

describe('learn and predict', () => {
  it('acknowledges a learn once committed, and with wait once applied with updated metrics', async () => {
    const a = await server.data(LEARN, { model: 'phish', features: { a: 1, b: 0 }, label: true });
    expect(a.learn.eventId).toBeGreaterThan(0);
    const b = await server.data(LEARN, { model: 'phish', features: { a: 0, b: 1 }, label: false, wait: true });
    expect(b.learn).toMatchObject({ applied: true, duplicate: false });
    expect(b.learn.eventId).toBeGreaterThan(a.learn.eventId);
    // Another server process may hear the learner's announcement a moment later.
    const d = await eventually(async () => {
      const r = await server.data('{ model(name: "phish") { samplesLearned lag } }');
      return r.model.samplesLearned === 2 ? r : undefined;
    });
    expect(d.model.lag).toBe(0);
  });

  it('predicts a label and class probabilities from the served version', async () => {
    const d = await server.data(PREDICT, { model: 'phish', features: { a: 1, b: 0 } });
    expect(d.predict.model).toBe('phish');
    expect(typeof d.predict.label).toBe('boolean');
    const p = d.predict.probabilities;
    expect(Object.keys(p).sort()).toEqual(['false', 'true']);
    expect(p.true + p.false).toBeCloseTo(1, 12);
    expect(d.predict.id).toMatch(/^[a-z2-7]{10}-[0-9a-z]+-[0-9a-f]{8}$/);
  });

  it('predicts values for a regression model and many predictions at once', async () => {
    await server.data(CREATE, { name: 'reg', spec: LINREG });
    for (let i = 0; i < 5; i++) await server.data(LEARN, { model: 'reg', features: { x: i }, label: 2 * i + 1, wait: true });
    const d = await server.data('query($f: [JSON!]!) { predictMany(model: "reg", features: $f) { value label probabilities } }', {
      f: [{ x: 1 }, { x: 2 }, { x: 3 }],
    });
    expect(d.predictMany).toHaveLength(3);
    for (const p of d.predictMany) {
      expect(typeof p.value).toBe('number');
      expect(p.probabilities).toBeNull();
    }
  });

  it('learns many examples in one request', async () => {
    const examples = Array.from({ length: 20 }, (_, i) => ({ features: { a: i % 2, b: (i + 1) % 2 }, label: i % 2 === 0 }));
    const d = await server.data(
      'mutation($e: [ExampleInput!]!) { learnMany(model: "phish", examples: $e, wait: true) { eventIds applied duplicates metrics { name } } }',
      { e: examples },
    );
    expect(d.learnMany.eventIds).toHaveLength(20);
    expect(new Set(d.learnMany.eventIds).size).toBe(20);
    expect(d.learnMany.applied).toBe(true);
  });

  it('applies a retried learn with the same key once', async () => {
    const first = await server.data(LEARN, { model: 'phish', features: { a: 1 }, label: true, key: 'retry-1', wait: true });
    const again = await server.data(LEARN, { model: 'phish', features: { a: 1 }, label: true, key: 'retry-1', wait: true });
    expect(again.learn.eventId).toBe(first.learn.eventId);
    expect(again.learn.duplicate).toBe(true);
    expect(first.learn.duplicate).toBe(false);
    // Once more with a fresh key: the count moves by one, so the retry added nothing.
    const next = await server.data(LEARN, { model: 'phish', features: { a: 1 }, label: true, key: 'retry-2', wait: true });
    expect(next.learn.samplesLearned).toBe(first.learn.samplesLearned + 1);
    const db = new Database(server.db, { readonly: true });
    try {
      expect(db.prepare("SELECT count(*) AS n FROM events WHERE key = 'retry-1'").get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });
});

describe('late labels', () => {
  it('joins a label to the features and the prediction that was served, once', async () => {
    await server.data(CREATE, { name: 'late', spec: LOGREG, metrics: ['Accuracy'] });
    // Served by the untrained model: p = 0.5, so the served label is false.
    const served = (await server.data(PREDICT, { model: 'late', features: { a: 3 } })).predict;
    expect(served.label).toBe(false);
    // Teach it that a > 0 means true, so that predicting { a: 3 } now would say true.
    for (let i = 0; i < 30; i++) {
      await server.data(LEARN, { model: 'late', features: { a: i % 2 === 0 ? 3 : -3 }, label: i % 2 === 0 });
    }
    const warm = await server.data(LEARN, { model: 'late', features: { a: 3 }, label: true, wait: true });
    const fresh = (await server.data(PREDICT, { model: 'late', features: { a: 3 } })).predict;
    const accuracyBefore = warm.learn.metrics[0].value as number;

    const late = await server.data(LEARN, { model: 'late', label: true, predictionId: served.id, wait: true });
    expect(late.learn.applied).toBe(true);
    // 31 samples scored so far; the late one scores the served `false` against `true`: a miss.
    const accuracyAfter = late.learn.metrics[0].value as number;
    expect(accuracyAfter).toBeCloseTo((accuracyBefore * 31) / 32, 12);

    const twice = await server.gql(LEARN, { model: 'late', label: false, predictionId: served.id });
    expect(code(twice)).toBe('ALREADY_LABELLED');
    const unknown = await server.gql(LEARN, { model: 'late', label: true, predictionId: 'no-such-prediction' });
    expect(code(unknown)).toBe('PREDICTION_NOT_FOUND');
    const otherModel = await server.gql(LEARN, { model: 'phish', label: true, predictionId: fresh.id });
    expect(code(otherModel)).toBe('PREDICTION_NOT_FOUND');
  });
});

describe('versions', () => {
  it('checkpoints, rolls back by appending a copy, and audits every version', async () => {
    const v1 = (await server.data('mutation { checkpoint(model: "phish") { number parent reason sha256 samplesLearned } }')).checkpoint;
    expect(v1.reason).toBe('MANUAL');
    for (let i = 0; i < 10; i++) await server.data(LEARN, { model: 'phish', features: { a: i, b: -i }, label: i % 3 === 0 });
    const v2 = (await server.data('mutation { checkpoint(model: "phish") { number sha256 samplesLearned } }')).checkpoint;
    expect(v2.number).toBeGreaterThan(v1.number);
    expect(v2.sha256).not.toBe(v1.sha256);

    const rb = (
      await server.data(`mutation { rollback(model: "phish", version: ${v1.number}) { number parent reason rollbackOf sha256 samplesLearned } }`)
    ).rollback;
    expect(rb).toMatchObject({ reason: 'ROLLBACK', rollbackOf: v1.number, sha256: v1.sha256, samplesLearned: v1.samplesLearned });
    expect(rb.number).toBeGreaterThan(v2.number);

    // Every server process swaps in the rolled-back state (each as it hears of it).
    for (let i = 0; i < 4; i++) {
      await eventually(async () => {
        const p = await server.data(PREDICT, { model: 'phish', features: { a: 1 } });
        return p.predict.version >= rb.number ? true : undefined;
      });
    }

    const versions = (await server.data('{ model(name: "phish") { version versions(first: 100) { number parent reason sha256 } } }')).model;
    expect(versions.versions[0].number).toBe(versions.version);
    for (const v of versions.versions) {
      const audit = (
        await server.data(`mutation { audit(model: "phish", version: ${v.number}) { ok expectedSha256 replayedSha256 eventsReplayed replayedFrom detail } }`)
      ).audit;
      expect(audit.ok, `version ${v.number} (${v.reason})`).toBe(true);
      expect(audit.replayedSha256).toBe(v.sha256);
      expect(audit).toMatchObject({ replayedFrom: v.parent, detail: null });
    }
    const page = (await server.data(`{ model(name: "phish") { versions(first: 2, before: ${rb.number}) { number } } }`)).model;
    expect(page.versions.map((v: { number: number }) => v.number)).toEqual([rb.number - 1, rb.number - 2]);
  });

  it('predicts from an older version on request', async () => {
    const d = await server.data(PREDICT, { model: 'phish', features: { a: 1, b: 0 }, version: 1 });
    expect(d.predict.version).toBe(1);
    expect(d.predict.probabilities.true).toBe(0.5);
  });
});

describe('errors carry stable codes and change nothing', () => {
  it('answers every kind of bad input with its code', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      [PREDICT, { model: 'nope', features: { a: 1 } }, 'MODEL_NOT_FOUND'],
      [LEARN, { model: 'nope', features: { a: 1 }, label: true }, 'MODEL_NOT_FOUND'],
      [PREDICT, { model: 'phish', features: { a: 1 }, version: 999 }, 'VERSION_NOT_FOUND'],
      [PREDICT, { model: 'phish', features: { a: 'NaN' } }, 'INVALID_FEATURES'],
      [PREDICT, { model: 'phish', features: { a: 'Infinity' } }, 'INVALID_FEATURES'],
      [PREDICT, { model: 'phish', features: { a: 'red' } }, 'INVALID_FEATURES'],
      [PREDICT, { model: 'phish', features: { a: { nested: 1 } } }, 'INVALID_FEATURES'],
      [PREDICT, { model: 'phish', features: [1, 2] }, 'INVALID_FEATURES'],
      [PREDICT, { model: 'phish', features: 'x' }, 'INVALID_FEATURES'],
      [LEARN, { model: 'phish', features: { a: 1 }, label: 2 }, 'INVALID_LABEL'],
      [LEARN, { model: 'phish', features: { a: 1 }, label: 'maybe' }, 'INVALID_LABEL'],
      [LEARN, { model: 'reg', features: { x: 1 }, label: 'x' }, 'INVALID_LABEL'],
      [LEARN, { model: 'reg', features: { x: 1 }, label: null }, 'BAD_USER_INPUT'],
      [LEARN, { model: 'phish', label: true }, 'INVALID_FEATURES'],
    ];
    for (const [query, variables, expected] of cases) {
      const r = await server.gql(query, variables);
      expect(code(r), JSON.stringify(variables)).toBe(expected);
    }
    const huge = await server.gql('{ predict(model: "phish", features: { a: 1e400 }) { label } }');
    expect(code(huge)).toBe('INVALID_FEATURES');
    const tooMany = await server.gql('query($f: [JSON!]!) { predictMany(model: "phish", features: $f) { label } }', {
      f: Array.from({ length: 51 }, () => ({ a: 1 })),
    });
    expect(code(tooMany)).toBe('LIMIT_EXCEEDED');
    expect(code(await server.gql('mutation { rollback(model: "phish", version: 999) { number } }'))).toBe('VERSION_NOT_FOUND');
    expect(code(await server.gql('mutation { audit(model: "phish", version: 999) { ok } }'))).toBe('VERSION_NOT_FOUND');
    expect(code(await server.gql('{ model(name: "phish") { versions(first: 0) { number } } }'))).toBe('BAD_USER_INPUT');
  });

  it('keeps events and versions append-only in the database itself', () => {
    const db = new Database(server.db);
    try {
      expect(() => db.prepare('UPDATE events SET label = ? WHERE id = 1').run('false')).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
      expect(() => db.prepare("UPDATE model_versions SET sha256 = 'x'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM model_versions').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });
});
