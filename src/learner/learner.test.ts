import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { ModelRecord, NewEvent, Store } from '../store/types.js';
import { auditVersion } from './audit.js';
import { Learner, type LearnerOptions } from './learner.js';
import type { LearnerMessage } from './messages.js';
import { applyLearn, createState, metricValues, serializeState } from './model-state.js';

const SPEC = { steps: [{ type: 'StandardScaler' }, { type: 'LogisticRegression' }] };
const METRICS = ['Accuracy', 'LogLoss'];

const open: SqliteStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

function newStore(): SqliteStore {
  const path = join(mkdtempSync(join(tmpdir(), 'eddy-learner-')), 'eddy.db');
  SqliteStore.migrate(path);
  const store = new SqliteStore(path);
  open.push(store);
  return store;
}

async function createModel(store: Store, name = 'm'): Promise<ModelRecord> {
  const state = createState(SPEC, METRICS);
  const initial = serializeState(state);
  const outcome = await store.createModel(
    { name, spec: SPEC, task: 'binary', metrics: METRICS },
    { parent: null, reason: 'created', rollbackOf: null, samplesLearned: 0, lastEventId: 0, ...initial, metrics: metricValues(state.metrics) },
  );
  if (outcome.status !== 'created') throw new Error('model exists');
  return outcome.model;
}

async function learnEvents(store: Store, modelId: number, from: number, count: number): Promise<void> {
  const batch: NewEvent[] = [];
  for (let i = from; i < from + count; i++) {
    batch.push({ modelId, kind: 'learn', features: { x: Math.sin(i), y: i % 5 }, label: Math.sin(i) > 0, predictionId: null, served: null, key: null });
  }
  await store.appendEvents([batch]);
}

/** A learner on `store` whose log lines are kept; `run` starts it, waits until it has applied the whole log, and stops it. */
function learner(store: Store, options: Partial<LearnerOptions> = {}) {
  const lines: Array<{ level: number; msg: string; model?: string; version?: number }> = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  let cursor = 0;
  const learner = new Learner({
    store,
    holder: `test/${Math.random()}`,
    log,
    checkpointIntervalMs: 60_000,
    pollMs: 10,
    publish: (m: LearnerMessage) => {
      if (m.type === 'progress') cursor = m.cursor;
    },
    ...options,
  });
  async function run(): Promise<void> {
    await learner.start();
    const max = await store.maxEventId();
    const deadline = Date.now() + 10_000;
    while (cursor < max && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(cursor).toBe(max);
    await learner.stop();
    await learner.done;
  }
  return { learner, lines, run };
}

/** The model's state folded from scratch over its learn events up to `lastEventId`. */
async function cleanReplay(store: Store, record: ModelRecord, lastEventId: number): Promise<string> {
  const state = createState(record.spec, record.metrics);
  for (const event of await store.readModelEvents(record.id, 0, lastEventId)) if (event.kind === 'learn') applyLearn(state, event);
  return serializeState(state).sha256;
}

/** Changes a version's state behind eddy's back (its sha256 left as it was), as an attacker with the file would. */
function tamper(store: SqliteStore, modelId: number, number: number): void {
  const db = new Database(store.path);
  const row = db.prepare('SELECT state FROM model_versions WHERE model_id = ? AND number = ?').get(modelId, number) as { state: string };
  const state = JSON.parse(row.state) as { samplesLearned: number };
  state.samplesLearned += 1000;
  db.exec('DROP TRIGGER model_versions_no_update');
  db.prepare('UPDATE model_versions SET state = ? WHERE model_id = ? AND number = ?').run(JSON.stringify(state), modelId, number);
  db.exec("CREATE TRIGGER model_versions_no_update BEFORE UPDATE ON model_versions BEGIN SELECT RAISE(ABORT, 'model versions are append-only'); END");
  db.close();
}

describe('Learner after a version was changed behind its back', () => {
  it('resumes from the newest good version, replays the log after it, and its next version equals a clean replay', async () => {
    const store = newStore();
    const record = await createModel(store);
    await learnEvents(store, record.id, 0, 30);
    await learner(store, { checkpointEvery: 10 }).run();
    const newest = (await store.latestVersion(record.id))!;
    expect(newest).toMatchObject({ number: 4, samplesLearned: 30 });

    tamper(store, record.id, 4);
    await learnEvents(store, record.id, 30, 5);
    const second = learner(store, { checkpointEvery: 1000 });
    await second.run();

    const error = second.lines.find((l) => l.level === 50 && l.model === 'm' && l.version === 4);
    expect(error?.msg).toMatch(/does not match its sha256/);
    const next = (await store.latestVersion(record.id))!;
    expect(next).toMatchObject({ number: 5, parent: 3, samplesLearned: 35 });
    expect(next.sha256).toBe(await cleanReplay(store, record, next.lastEventId));
    expect((await auditVersion(store, record, 5))?.ok).toBe(true);
    expect(await auditVersion(store, record, 4)).toMatchObject({ ok: false, detail: expect.stringMatching(/changed outside eddy/) });
  });

  it('audits the versions after a damaged one by replaying from the nearest good ancestor; only the damaged ones fail', async () => {
    const store = newStore();
    const record = await createModel(store);
    await learnEvents(store, record.id, 0, 50);
    await learner(store, { checkpointEvery: 10 }).run();
    expect((await store.latestVersion(record.id))?.number).toBe(6);
    // Versions 3 and 4 damaged, 5 and 6 (their descendants) left alone.
    tamper(store, record.id, 3);
    tamper(store, record.id, 4);
    const audits = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => auditVersion(store, record, n)));
    expect(audits.map((a) => a?.ok)).toEqual([true, true, false, false, true, true]);
    expect(audits[4]).toMatchObject({ replayedFrom: 2, eventsReplayed: 30, detail: 'replayed from version 2: damaged ancestors 4, 3 do not match the sha256 stored with it' });
    expect(audits[5]).toMatchObject({ replayedFrom: 5, eventsReplayed: 10, detail: null });
    expect(audits[1]).toMatchObject({ replayedFrom: 1, detail: null });
    expect(audits[0]).toMatchObject({ replayedFrom: null, eventsReplayed: 0 });

    // With every ancestor damaged, the replay starts from the spec.
    tamper(store, record.id, 1);
    tamper(store, record.id, 2);
    expect(await auditVersion(store, record, 5)).toMatchObject({ ok: true, replayedFrom: null, eventsReplayed: 40 });
  });

  it('starts from the spec when no version is good, and writes a good one', async () => {
    const store = newStore();
    const record = await createModel(store);
    await learnEvents(store, record.id, 0, 12);
    tamper(store, record.id, 1);
    await learner(store).run();
    const next = (await store.latestVersion(record.id))!;
    expect(next).toMatchObject({ number: 2, parent: null, samplesLearned: 12 });
    expect(next.sha256).toBe(await cleanReplay(store, record, next.lastEventId));
    expect((await auditVersion(store, record, 2))?.ok).toBe(true);
  });

  it('ignores a rollback to a tampered version, as the audit does', async () => {
    const store = newStore();
    const record = await createModel(store);
    await learnEvents(store, record.id, 0, 10);
    await learner(store).run();
    tamper(store, record.id, 2);
    await store.appendEvents([[{ modelId: record.id, kind: 'rollback', targetVersion: 2 }]]);
    await learnEvents(store, record.id, 10, 3);
    const second = learner(store);
    await second.run();
    expect(second.lines.some((l) => l.level === 50 && /rollback to a version that does not match/.test(l.msg))).toBe(true);
    const next = (await store.latestVersion(record.id))!;
    expect(next).toMatchObject({ number: 3, reason: 'checkpoint', samplesLearned: 13 });
    expect((await auditVersion(store, record, 3))?.ok).toBe(true);
  });
});

describe('Learner when the database cannot take a write', () => {
  it('keeps its state and retries a failed version write (SQLITE_FULL, SQLITE_BUSY): no event skipped or applied twice', async () => {
    const store = newStore();
    const record = await createModel(store);
    await learnEvents(store, record.id, 0, 25);
    // The first three version writes fail as a full disk and a lock make them fail.
    const codes = ['SQLITE_FULL', 'SQLITE_BUSY', 'SQLITE_FULL'];
    const failing = new Proxy(store, {
      get(target, key, receiver) {
        if (key === 'appendVersion' && codes.length > 0) {
          return async () => {
            throw Object.assign(new Error('database or disk is full'), { code: codes.shift() });
          };
        }
        const value = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const l = learner(failing, { checkpointEvery: 10 });
    await l.run();
    expect(l.lines.filter((x) => x.level === 40 && /could not write a version/.test(x.msg))).toHaveLength(3);
    expect(l.lines.some((x) => x.level === 50)).toBe(false);
    const versions = await store.listVersions(record.id, 10);
    expect(versions.map((v) => [v.number, v.parent, v.samplesLearned])).toEqual([
      [4, 3, 25],
      [3, 2, 20],
      [2, 1, 10],
      [1, null, 0],
    ]);
    for (const v of versions) {
      expect(v.sha256).toBe(await cleanReplay(store, record, v.lastEventId));
      expect((await auditVersion(store, record, v.number))?.ok).toBe(true);
    }
  });

  it('still stops for errors that are not about availability', async () => {
    const store = newStore();
    await createModel(store);
    await learnEvents(store, 1, 0, 10);
    const broken = new Proxy(store, {
      get(target, key, receiver) {
        if (key === 'appendVersion') return async () => Promise.reject(new TypeError('a bug'));
        const value = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const l = learner(broken, { checkpointEvery: 5 });
    await l.learner.start();
    await expect(l.learner.done).rejects.toThrow('a bug');
  });
});

describe('Learner progress announcements', () => {
  it('come at most once per progressIntervalMs, merging the steps in between, and the last one covers the whole log', async () => {
    const store = newStore();
    const record = await createModel(store);
    // Keyed, so that each is a row of its own and every step reads five.
    const keyed: NewEvent[] = Array.from({ length: 100 }, (_, i) => ({ modelId: record.id, kind: 'learn', features: { x: i }, label: i % 2 === 0, predictionId: null, served: null, key: `k${i}` }));
    await store.appendEvents([keyed]);
    const progress: Array<{ at: number; cursor: number; samples: number | undefined }> = [];
    const learner = new Learner({
      store,
      holder: 'test/progress',
      log: pino({ level: 'silent' }),
      checkpointIntervalMs: 60_000,
      pollMs: 10,
      // Twenty steps of five events, far quicker than the interval.
      batchSize: 5,
      progressIntervalMs: 300,
      publish: (m: LearnerMessage) => {
        if (m.type === 'progress') progress.push({ at: performance.now(), cursor: m.cursor, samples: m.models.find((x) => x.modelId === record.id)?.samplesLearned });
      },
    });
    await learner.start();
    const max = await store.maxEventId();
    const deadline = Date.now() + 5000;
    while (progress.at(-1)?.cursor !== max && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await learner.stop();
    await learner.done;

    expect(progress.at(-1)).toMatchObject({ cursor: max, samples: 100 });
    // The first step is announced at once, the other nineteen in (at most) one more message.
    const during = progress.filter((p) => p.cursor <= max);
    expect(during.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < during.length; i++) expect(during[i].at - during[i - 1].at).toBeGreaterThanOrEqual(290);
  });
});
