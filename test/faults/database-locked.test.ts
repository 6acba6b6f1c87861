import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunningServer, eventually } from '../support/server.js';
import { CREATE, LOGREG, LearnStream, PREDICT, exits, features, learnerPid, learnerSaw, logLines, removeTempDirs, tempDb, verifyRecovered } from './support.js';

const MODEL = 'locked';
let server: RunningServer;
let lock: Database.Database | undefined;

beforeAll(async () => {
  // A short busy timeout, so that a write waits 200 ms for the lock and then fails.
  server = await RunningServer.start({ db: tempDb(), args: ['--busy-timeout', '200', '--checkpoint-interval', '200'] });
  await server.data(CREATE, { name: MODEL, spec: LOGREG });
});

afterAll(async () => {
  if (lock?.open) lock.close();
  await server?.stop();
  removeTempDirs();
});

/** Another process's connection takes the write lock and keeps it. */
function takeWriteLock(): Database.Database {
  const db = new Database(server.db, { timeout: 10_000 });
  db.exec('BEGIN IMMEDIATE');
  return db;
}

function release(db: Database.Database | undefined): void {
  if (!db?.open) return;
  db.exec('ROLLBACK');
  db.close();
}

describe('the database locked by another process', () => {
  it('learn answers UNAVAILABLE while the lock is held past the busy timeout, predict keeps serving, and eddy resumes by itself when it is released', async () => {
    const stream = new LearnStream(server.url, MODEL);
    stream.start(4);
    try {
      await stream.until(() => stream.acked.size >= 50, '50 acknowledged learns');
      lock = takeWriteLock();
      await stream.until(() => stream.count('UNAVAILABLE') >= 10, 'learns refused with UNAVAILABLE');
      const during = await server.data<{ predict: { version: number } }>(PREDICT, { model: MODEL, features: features(1) });
      expect(during.predict.version).toBeGreaterThanOrEqual(1);
      // The learner meets the lock too (a version write, a lease renewal) and waits it out.
      await stream.until(learnerSaw(server, /database is locked/), 'the learner to meet the lock', 15_000);
      release(lock);
      const afterRelease = stream.acked.size;
      await stream.until(() => stream.acked.size >= afterRelease + 50, '50 more acknowledged learns after the lock is released');
    } finally {
      release(lock);
      await stream.stop();
    }
    expect(stream.uncoded, 'answers without an error code').toEqual([]);
    expect([...stream.codes.keys()]).toEqual(['UNAVAILABLE']);
    expect(exits(server), 'processes that died').toEqual([]);
    await verifyRecovered(server, MODEL, stream.acked);
  });

  it('a lock held longer than the learner’s lease: learns are refused meanwhile, and afterwards nothing acknowledged is lost and the learner catches up', async () => {
    const stream = new LearnStream(server.url, MODEL);
    stream.start(4);
    try {
      await stream.until(() => stream.acked.size >= 30, '30 acknowledged learns');
      lock = takeWriteLock();
      const refusedBefore = stream.count('UNAVAILABLE');
      // The lease (5 s) expires while its renewals wait for the lock; the learner that finds it lost
      // exits and the primary starts another, which replays the log after the newest version.
      await new Promise((resolve) => setTimeout(resolve, 7000));
      expect(stream.count('UNAVAILABLE')).toBeGreaterThan(refusedBefore);
      release(lock);
      const afterRelease = stream.acked.size;
      await stream.until(() => stream.acked.size >= afterRelease + 50, '50 more acknowledged learns after the lock is released');
    } finally {
      release(lock);
      await stream.stop();
    }
    expect(stream.uncoded, 'answers without an error code').toEqual([]);
    expect([...stream.codes.keys()]).toEqual(['UNAVAILABLE']);
    expect(exits(server).filter((l) => !/learner/.test(String(l.msg))), 'server processes that died').toEqual([]);
    await verifyRecovered(server, MODEL, stream.acked);
  });

  it('a learner started while the lock is held (its predecessor was killed) waits for the lock, then catches up', async () => {
    const stream = new LearnStream(server.url, MODEL);
    stream.start(4);
    let killed: number | undefined;
    try {
      await stream.until(() => stream.acked.size >= 30, '30 acknowledged learns');
      lock = takeWriteLock();
      killed = await eventually(async () => learnerPid(server), 10_000, 'the learner process');
      process.kill(killed, 'SIGKILL');
      // The new learner cannot take the lease while the lock is held: it waits, and says so.
      await eventually(
        async () =>
          logLines(server, 40).some((l) => l.role === 'learner' && l.pid !== killed && /retries starting/.test(String(l.msg))) ? true : undefined,
        30_000,
        'the new learner to wait for the database',
      );
      release(lock);
      const afterRelease = stream.acked.size;
      await stream.until(() => stream.acked.size >= afterRelease + 30, '30 more acknowledged learns after the lock is released');
    } finally {
      release(lock);
      await stream.stop();
    }
    expect(stream.uncoded, 'answers without an error code').toEqual([]);
    expect([...stream.codes.keys()]).toEqual(['UNAVAILABLE']);
    expect(exits(server).filter((l) => !/learner/.test(String(l.msg))), 'server processes that died').toEqual([]);
    await verifyRecovered(server, MODEL, stream.acked);
    expect(learnerPid(server)).not.toBe(killed);
  });
});
