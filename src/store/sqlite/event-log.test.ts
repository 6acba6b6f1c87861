import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeBatch, MAX_BATCH_ROW } from '../encoded-event.js';
import type { LogEvent, NewEvent } from '../types.js';
import { SqliteStore } from './sqlite-store.js';

const dirs: string[] = [];
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function newStore(): Promise<{ store: SqliteStore; models: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-log-'));
  dirs.push(dir);
  const path = join(dir, 'eddy.db');
  SqliteStore.migrate(path);
  const store = new SqliteStore(path, { synchronous: 'normal' });
  stores.push(store);
  const models: number[] = [];
  for (const name of ['a', 'b']) {
    const outcome = await store.createModel(
      { name, spec: {}, task: 'binary', metrics: [] },
      { parent: null, reason: 'created', rollbackOf: null, samplesLearned: 0, lastEventId: 0, state: '{}', sha256: '', metrics: [] },
    );
    if (outcome.status !== 'created') throw new Error('exists');
    models.push(outcome.model.id);
  }
  return { store, models };
}

let uid = 0;
function plain(modelId: number): NewEvent {
  const n = uid++;
  return { modelId, kind: 'learn', features: { uid: n, x: n / 7, é: 'ü' }, label: n % 3 === 0, predictionId: null, served: null, key: null };
}
function keyed(modelId: number): NewEvent {
  return { ...(plain(modelId) as Extract<NewEvent, { kind: 'learn' }>), key: `k${uid}` };
}

/** What the log must read back as: every event in append order under the ids the appends reported. */
function expected(batches: NewEvent[][], ids: number[][]): LogEvent[] {
  return batches.flatMap((batch, b) =>
    batch.map((e, i): LogEvent => {
      const id = ids[b][i];
      if (e.kind !== 'learn') return e.kind === 'checkpoint' ? { id, modelId: e.modelId, kind: 'checkpoint', reason: e.reason } : { id, modelId: e.modelId, kind: 'rollback', targetVersion: e.targetVersion };
      return { id, modelId: e.modelId, kind: 'learn', features: e.features, label: e.label, predictionId: e.predictionId, served: e.served };
    }),
  );
}

describe('encodeBatch', () => {
  it('puts runs of plain examples of one model into batch rows of at most MAX_BATCH_ROW, keeping order and everything else one row each', () => {
    const batch = [plain(1), plain(1), keyed(1), plain(1), plain(2), plain(2), { modelId: 1, kind: 'checkpoint', reason: 'manual' } as NewEvent, ...Array.from({ length: MAX_BATCH_ROW + 1 }, () => plain(1))];
    const rows = encodeBatch(batch);
    expect(rows.map((r) => [r.kind, r.count, r.modelId])).toEqual([
      ['batch', 2, 1],
      ['learn', 1, 1],
      ['learn', 1, 1],
      ['batch', 2, 2],
      ['checkpoint', 1, 1],
      ['batch', MAX_BATCH_ROW, 1],
      ['learn', 1, 1],
    ]);
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(batch.length);
    expect(JSON.parse(rows[0].features!)).toEqual([(batch[0] as { features: unknown }).features, (batch[1] as { features: unknown }).features]);
  });
});

describe('the event log with batch rows', () => {
  it('hands out consecutive ids, never twice, and reads back every event under its id, from any cursor, in any range', async () => {
    const { store, models } = await newStore();
    const [a, b] = models;
    const batches: NewEvent[][] = [
      [plain(a)],
      Array.from({ length: 5 }, () => plain(a)),
      [keyed(a), plain(a), plain(a), plain(b), plain(b), plain(a)],
      [{ modelId: a, kind: 'checkpoint', reason: 'manual' }],
      Array.from({ length: 2500 }, () => plain(a)),
      [plain(b)],
    ];
    const ids: number[][] = [];
    for (const batch of batches) {
      const [outcomes] = await store.appendEvents([batch]);
      expect(outcomes.every((o) => o.status === 'appended')).toBe(true);
      ids.push(outcomes.map((o) => (o as { id: number }).id));
    }
    const all = ids.flat();
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => all[0] + i));
    const log = expected(batches, ids);
    const max = await store.maxEventId();
    expect(max).toBe(all.at(-1));

    // The learner's reads: from any cursor, in pieces of any size, the same events in order.
    for (const limit of [1, 7, 1000, 5000]) {
      const read: LogEvent[] = [];
      for (let cursor = 0; ; ) {
        const events = await store.readEvents(cursor, limit);
        if (events.length === 0) break;
        read.push(...events);
        cursor = events.at(-1)!.id;
      }
      expect(read).toEqual(log);
    }
    // A cursor inside a batch row (a version can end there) reads the rest of it, then whole rows.
    expect(await store.readEvents(all[3], 2)).toEqual(log.slice(4, 6));
    expect(await store.readEvents(all[3], 3)).toEqual(log.slice(4, 7));

    // Ranges of one model (audit's reads) and the lag, with ends inside batch rows.
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: max + 2 }), fc.integer({ min: 0, max: max + 2 }), fc.constantFrom(a, b), async (x, y, model) => {
        const [from, to] = x <= y ? [x, y] : [y, x];
        const mine = log.filter((e) => e.modelId === model);
        expect(await store.readModelEvents(model, from, to)).toEqual(mine.filter((e) => e.id > from && e.id <= to));
        expect(await store.countEventsAfter(model, from)).toBe(mine.filter((e) => e.id > from).length);
      }),
      { numRuns: 300 },
    );

    // A single event appended after a batch row still takes the next id.
    const [[next]] = await store.appendEvents([[keyed(a)]]);
    expect(next).toEqual({ status: 'appended', id: max + 1 });
  });

  it('stores the single learns of one group commit in shared batch rows, each request keeping its own outcome and id', async () => {
    const { store, models } = await newStore();
    const [a, b] = models;
    const labelled: NewEvent = { ...(plain(a) as Extract<NewEvent, { kind: 'learn' }>), predictionId: 'p9', served: { label: false, probabilities: null, value: null } };
    await store.appendEvents([[labelled]]);
    const start = await store.maxEventId();
    // As a group commit sends them: one request per learn, from several clients.
    const requests: NewEvent[][] = [[plain(a)], [plain(a)], [plain(a)], [plain(b)], [plain(b)], [keyed(a)], [{ ...labelled }], [plain(a)], [plain(a), plain(a)], [plain(a)]];
    const outcomes = await store.appendEvents(requests);
    expect(outcomes.map((o) => o.map((x) => x.status))).toEqual([
      ['appended'], ['appended'], ['appended'], ['appended'], ['appended'], ['appended'], ['already-labelled'], ['appended'], ['appended', 'appended'], ['appended'],
    ]);
    const kept = requests.filter((_, i) => i !== 6);
    const ids = outcomes.filter((_, i) => i !== 6).map((o) => o.map((x) => (x as { id: number }).id));
    expect(ids.flat()).toEqual(Array.from({ length: 10 }, (_, i) => start + 1 + i));
    expect(await store.readEvents(start, 100)).toEqual(expected(kept, ids));
    // Rows: a a a | b b | keyed | a | a a (one request) | a
    const rows = store.db.prepare('SELECT kind, count FROM events WHERE id > ? ORDER BY id').all(start);
    expect(rows).toEqual([
      { kind: 'batch', count: 3 },
      { kind: 'batch', count: 2 },
      { kind: 'learn', count: 1 },
      { kind: 'learn', count: 1 },
      { kind: 'batch', count: 2 },
      { kind: 'learn', count: 1 },
    ]);
  });

  it('refuses a whole request, batch rows included, when one of its predictions is already labelled', async () => {
    const { store, models } = await newStore();
    const [a] = models;
    const labelled: NewEvent = { ...(plain(a) as Extract<NewEvent, { kind: 'learn' }>), predictionId: 'p1', served: { label: true, probabilities: null, value: null } };
    await store.appendEvents([[labelled]]);
    const before = await store.maxEventId();
    const [ok, refused] = await store.appendEvents([
      [plain(a), plain(a)],
      [plain(a), plain(a), plain(a), { ...labelled }],
    ]);
    expect(ok.map((o) => o.status)).toEqual(['appended', 'appended']);
    expect(refused).toEqual(Array.from({ length: 4 }, () => ({ status: 'already-labelled', predictionId: 'p1' })));
    expect(await store.maxEventId()).toBe(before + 2);
    expect(await store.countEventsAfter(a, before)).toBe(2);
  });
});

describe('the event indexes', () => {
  it('index only the events with a key or a prediction (partial), and still refuse a second one', async () => {
    const { store, models } = await newStore();
    const [a] = models;
    const indexes = store.db.prepare('PRAGMA index_list(events)').all() as Array<{ name: string; unique: number; partial: number }>;
    const byName = new Map(indexes.map((i) => [i.name, i]));
    expect(byName.get('events_model_key')).toMatchObject({ unique: 1, partial: 1 });
    expect(byName.get('events_prediction')).toMatchObject({ unique: 1, partial: 1 });

    const withKey = keyed(a);
    const labelled = { ...(plain(a) as Extract<NewEvent, { kind: 'learn' }>), predictionId: 'p-1', served: { label: true, probabilities: null, value: null } };
    const [first] = await store.appendEvents([[withKey, labelled, plain(a), plain(a)]]);
    expect(first.map((o) => o.status)).toEqual(['appended', 'appended', 'appended', 'appended']);
    const [again] = await store.appendEvents([[withKey]]);
    expect(again).toEqual([{ status: 'duplicate', id: (first[0] as { id: number }).id }]);
    const [relabelled] = await store.appendEvents([[{ ...labelled, features: { other: 1 } }]]);
    expect(relabelled).toEqual([{ status: 'already-labelled', predictionId: 'p-1' }]);
  });
});
