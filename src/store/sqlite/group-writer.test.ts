import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeBatch } from '../encoded-event.js';
import type { NewEvent } from '../types.js';
import { GroupWriter } from './group-writer.js';
import { SqliteStore } from './sqlite-store.js';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(busyTimeoutMs = 5000, onCommit?: (maxEventId: number, urgent: boolean) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-group-writer-'));
  const path = join(dir, 'eddy.db');
  SqliteStore.migrate(path);
  const store = new SqliteStore(path);
  const created = await store.createModel(
    { name: 'm', spec: {}, task: 'binary', metrics: [] },
    { parent: null, reason: 'created', rollbackOf: null, samplesLearned: 0, lastEventId: 0, state: '{}', sha256: '', metrics: [] },
  );
  if (created.status !== 'created') throw new Error('exists');
  const writer = new GroupWriter(path, { synchronous: 'normal', busyTimeoutMs, onCommit });
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => store.close(), () => writer.close());
  const learn = (x: number, key: string | null = null): NewEvent[] => [
    { modelId: created.model.id, kind: 'learn', features: { x }, label: x > 0, predictionId: null, served: null, key },
  ];
  return { path, store, writer, learn };
}

describe('GroupWriter', () => {
  it('commits the appends of one turn in one transaction, answering each with its own outcomes, and says so once', async () => {
    const commits: number[] = [];
    const { store, writer, learn } = await setup(5000, (max) => commits.push(max));
    const transactions = vi.spyOn(SqliteStore.prototype, 'appendEncoded');
    cleanup.push(() => transactions.mockRestore());
    const answers = await Promise.all([
      writer.append([encodeBatch(learn(1))]),
      writer.append([encodeBatch(learn(2)), encodeBatch(learn(3, 'k'))]),
      writer.append([encodeBatch(learn(4))]),
    ]);
    expect(answers).toEqual([
      [[{ status: 'appended', id: 1 }]],
      [[{ status: 'appended', id: 2 }], [{ status: 'appended', id: 3 }]],
      [[{ status: 'appended', id: 4 }]],
    ]);
    expect(transactions).toHaveBeenCalledTimes(1);
    expect(commits).toEqual([4]);
    expect((await store.readEvents(0, 10)).map((e) => e.id)).toEqual([1, 2, 3, 4]);
  });

  it('says a commit is urgent when any of its appends is', async () => {
    const commits: Array<[number, boolean]> = [];
    const { writer, learn } = await setup(5000, (max, urgent) => commits.push([max, urgent]));
    await writer.append([encodeBatch(learn(1))]);
    await Promise.all([writer.append([encodeBatch(learn(2))]), writer.append([encodeBatch(learn(3))], true)]);
    await writer.append([encodeBatch(learn(4))], false);
    expect(commits).toEqual([
      [1, false],
      [3, true],
      [4, false],
    ]);
  });

  it('waits without blocking while another connection holds the write lock, then commits', async () => {
    const { path, store, writer, learn } = await setup();
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const pending = writer.append([encodeBatch(learn(1))]);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    await new Promise((r) => setTimeout(r, 60));
    clearInterval(ticker);
    // The event loop ran meanwhile (the writer did not sit in SQLite's busy wait).
    expect(ticks).toBeGreaterThan(10);
    other.exec('COMMIT');
    other.close();
    expect(await pending).toEqual([[{ status: 'appended', id: 1 }]]);
    expect(await store.maxEventId()).toBe(1);
  });

  it('fails what it holds with SQLITE_BUSY once the lock has been held for the busy timeout, and commits again after', async () => {
    const { path, store, writer, learn } = await setup(100);
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    const failed = writer.append([encodeBatch(learn(1))]);
    await expect(failed).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    other.exec('ROLLBACK');
    other.close();
    expect(await writer.append([encodeBatch(learn(2))])).toEqual([[{ status: 'appended', id: 1 }]]);
    expect((await store.readEvents(0, 10)).map((e) => (e.kind === 'learn' ? e.features.x : null))).toEqual([2]);
  });
});
