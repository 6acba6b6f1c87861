import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EddyService } from '../../src/serving/eddy-service.js';
import { LocalLink } from '../../src/serving/learner-link.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { learnEventsIn } from '../support/log.js';
import { RunningServer, eddy, eventually, sleep } from '../support/server.js';
import { MODEL, checkVersions, createModel, labelOf, openDb, smallFeatures, stopAndRemove } from './harness.js';

let server: RunningServer;
let standalone: ChildProcess | undefined;

beforeAll(async () => {
  server = await RunningServer.start({ workers: 1, args: ['--checkpoint-every', '1'] });
  await createModel(server);
});

afterAll(async () => {
  standalone?.kill('SIGKILL');
  await stopAndRemove(server);
});

function run(child: ChildProcess): { output: () => string; exit: Promise<number | null> } {
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { output: () => output, exit };
}

function lease(db: string): { holder: string; expires_at: number } {
  const d = openDb(db);
  try {
    return d.prepare("SELECT holder, expires_at FROM leases WHERE name = 'learner'").get() as { holder: string; expires_at: number };
  } finally {
    d.close();
  }
}

describe('one learner per database', () => {
  it('refuses a second learner while eddy serve runs: exit code 3, and says who holds the lease', async () => {
    const holder = lease(server.db).holder;
    const second = run(eddy(['learner', '--db', server.db]));
    expect(await second.exit).toBe(3);
    expect(second.output()).toContain(`another learner holds the lease (${holder})`);
    expect(lease(server.db).holder).toBe(holder);
    // The served learner is unaffected: it still applies labels.
    const d = await server.data(`mutation { learn(model: "${MODEL}", features: { x: 1 }, label: true, wait: true) { applied } }`);
    expect(d.learn.applied).toBe(true);
  });

  it('checks the lease before each write: a learner whose lease is taken writes no further version and stops', async () => {
    expect(await server.stop()).toBe(0);
    const db = server.db;
    // A standalone learner on the file eddy serve left (it released the lease on the way out).
    const learner = run((standalone = eddy(['learner', '--db', db, '--checkpoint-every', '1'])));
    await eventually(async () => (learner.output().includes('learner started') ? true : undefined), 30_000, 'the learner');

    // Labels go into the log through the same code a server process uses.
    const store = new SqliteStore(db);
    const service = new EddyService({ store, link: new LocalLink(), log: pino({ level: 'silent' }) });
    const acknowledged: number[] = [];
    let appending = true;
    const appender = (async () => {
      for (let uid = 100_000; appending; uid++) {
        const ack = await service.learn(MODEL, { features: smallFeatures(uid), label: labelOf(uid) }, false);
        acknowledged.push(ack.eventId);
        await sleep(5);
      }
    })();

    try {
      const start = checkVersions(db).length;
      await eventually(async () => (checkVersions(db).length >= start + 5 ? true : undefined), 20_000, 'versions');

      // Take the lease right after the learner renewed it, so that its next renewal is a TTL/3
      // away and it is the check inside the version write that must notice.
      const writer = new Database(db);
      const renewed = lease(db).expires_at;
      await eventually(async () => (lease(db).expires_at !== renewed ? true : undefined), 10_000, 'a lease renewal');
      const stolen = writer
        .transaction(() => {
          writer.prepare("UPDATE leases SET holder = 'thief', expires_at = ? WHERE name = 'learner'").run(Date.now() + 600_000);
          const model = writer.prepare('SELECT id FROM models WHERE name = ?').get(MODEL) as { id: number };
          return (writer.prepare('SELECT max(number) AS n FROM model_versions WHERE model_id = ?').get(model.id) as { n: number }).n;
        })
        .immediate();
      writer.close();

      const code = await Promise.race([learner.exit, sleep(15_000).then(() => 'still running')]);
      expect(code, 'the learner stops once its lease is gone').toBe(1);
      expect(learner.output()).toContain('another learner holds the lease (thief)');
      await sleep(300);
      const versions = checkVersions(db);
      expect(versions.at(-1)!.number, 'no version after the lease was taken').toBe(stolen);
    } finally {
      appending = false;
      await appender;
    }

    // Every acknowledged label is still in the log, each once.
    const d = openDb(db);
    const ids = learnEventsIn(d).map((e) => e.id);
    d.close();
    const inLog = new Set(ids);
    expect(acknowledged.length).toBeGreaterThan(10);
    expect(acknowledged.filter((id) => !inLog.has(id))).toEqual([]);
    expect(lease(db).holder).toBe('thief');
    await store.close();
  });
});
