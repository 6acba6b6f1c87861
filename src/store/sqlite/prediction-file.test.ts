import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeRuns, type PendingPrediction, PredictionIds } from '../prediction-run.js';
import { PredictionFile, predictionsPath } from './prediction-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'eddy-predictions-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function serve(ids: PredictionIds, n: number, modelId = 1): PendingPrediction[] {
  return Array.from({ length: n }, (_, i) => {
    const { id, seq, check } = ids.take();
    return { id, seq, check, served: { modelId, version: 2, createdAt: 1000 + i, features: { x: i, name: `n${i}é` }, output: { label: null, probabilities: null, value: i / 3 } } };
  });
}

describe('PredictionFile', () => {
  it('finds each prediction of every run of every source by id, and nothing for unknown, forged or out-of-run ids', () => {
    const db = join(dir, 'eddy.db');
    const file = new PredictionFile(db, {});
    const a = new PredictionIds();
    const b = new PredictionIds();
    const fromA = serve(a, 250);
    const fromB = serve(b, 40, 9);
    file.log([...encodeRuns(a.source, fromA.slice(0, 100)), ...encodeRuns(b.source, fromB)]);
    file.log(encodeRuns(a.source, fromA.slice(100)));

    for (const p of [...fromA, ...fromB]) {
      expect(file.get(p.id)).toEqual({ id: p.id, ...p.served });
    }
    const last = fromA[249].id;
    const [source, seq, check] = last.split('-');
    expect(file.get(`${source}-${(Number.parseInt(seq, 36) + 1).toString(36)}-${check}`)).toBeUndefined();
    expect(file.get(`${source}-${seq}-${check === 'ffffffff' ? '00000000' : 'ffffffff'}`)).toBeUndefined();
    expect(file.get(`zzzzzzzzzz-0-${check}`)).toBeUndefined();
    expect(file.get('not an id')).toBeUndefined();

    // Another process reading the same file (read-only, as the CLI does) sees them too.
    const reader = new PredictionFile(db, { readonly: true });
    expect(reader.get(fromB[39].id)?.modelId).toBe(9);
    reader.close();
    file.close();
  });

  it('still finds predictions logged one row per UUID by earlier versions', () => {
    const db = join(dir, 'eddy.db');
    const old = new Database(predictionsPath(db));
    old.exec('CREATE TABLE predictions (id TEXT PRIMARY KEY NOT NULL, model_id INTEGER NOT NULL, version INTEGER NOT NULL, features TEXT NOT NULL, output TEXT NOT NULL, created_at INTEGER NOT NULL)');
    const uuid = '0b1c8f6e-3f1c-4b8e-9a57-6d2d1d1f9b11';
    old.prepare('INSERT INTO predictions VALUES (?, 4, 1, ?, ?, 5)').run(uuid, '{"x":1}', '{"label":true,"probabilities":[[true,0.9],[false,0.1]],"value":null}');
    old.close();
    const file = new PredictionFile(db, {});
    expect(file.get(uuid)).toEqual({ id: uuid, modelId: 4, version: 1, createdAt: 5, features: { x: 1 }, output: { label: true, probabilities: [[true, 0.9], [false, 0.1]], value: null } });
    file.close();
  });

  it('answers undefined, not an error, where no prediction was ever logged', () => {
    const db = join(dir, 'eddy.db');
    const ids = new PredictionIds();
    expect(new PredictionFile(db, { readonly: true }).get(ids.take().id)).toBeUndefined();
    new Database(predictionsPath(db)).close();
    const reader = new PredictionFile(db, { readonly: true });
    expect(reader.get(ids.take().id)).toBeUndefined();
    expect(reader.get('0b1c8f6e-3f1c-4b8e-9a57-6d2d1d1f9b11')).toBeUndefined();
    reader.close();
  });
});

describe('PredictionFile.prune', () => {
  it('deletes, a batch at a time, the runs whose newest prediction is older than the cutoff, and old one-row-per-UUID predictions', () => {
    const db = join(dir, 'eddy.db');
    const old = new Database(predictionsPath(db));
    old.exec('CREATE TABLE predictions (id TEXT PRIMARY KEY NOT NULL, model_id INTEGER NOT NULL, version INTEGER NOT NULL, features TEXT NOT NULL, output TEXT NOT NULL, created_at INTEGER NOT NULL)');
    old.prepare("INSERT INTO predictions VALUES ('0b1c8f6e-3f1c-4b8e-9a57-6d2d1d1f9b11', 1, 1, '{}', '{}', 500)").run();
    old.close();
    const file = new PredictionFile(db, {});
    const ids = new PredictionIds();
    // Runs of 10 served at times 1000 + i (serve gives createdAt 1000 + index): newest 1009, 1019, ….
    const served = serve(ids, 50);
    for (let i = 0; i < 50; i += 10) file.log(encodeRuns(ids.source, served.slice(i, i + 10)));
    // A run goes only once its newest prediction is older than the cutoff: 1015 removes the run
    // ending at 1009, not the one spanning 1010–1019.
    expect(file.prune(1015, 100)).toBe(2); // the run ending at 1009 and the UUID row at 500
    expect(file.get(served[9].id)).toBeUndefined();
    expect(file.get(served[10].id)?.id).toBe(served[10].id);
    expect(file.get('0b1c8f6e-3f1c-4b8e-9a57-6d2d1d1f9b11')).toBeUndefined();
    // A batch at a time.
    expect(file.prune(2000, 3)).toBe(3);
    expect(file.prune(2000, 3)).toBe(1);
    expect(file.prune(2000, 3)).toBe(0);
    expect(file.get(served[49].id)).toBeUndefined();
    file.close();
  });
});
