import Database from 'better-sqlite3';
import { request as httpRequest } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { RunningServer, eventually } from '../support/server.js';
import { CREATE, LOGREG, PREDICT, audit, cleanReplay, code, features, learnOne, logLines, removeTempDirs, tempDb, versions } from './support.js';

const MODEL = 'tampered';
const running: RunningServer[] = [];

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  removeTempDirs();
});

/**
 * Changes the newest version's state behind eddy's back, as someone with write access to the file
 * could: drop the append-only trigger, rewrite the state (inflating its sample count, leaving the
 * sha256 alone), put the trigger back. Returns the version's number.
 */
function tamperNewest(path: string): number {
  const db = new Database(path);
  try {
    const row = db.prepare('SELECT number, state FROM model_versions ORDER BY number DESC LIMIT 1').get() as { number: number; state: string };
    const state = JSON.parse(row.state) as { samplesLearned: number };
    state.samplesLearned += 1000;
    db.exec('DROP TRIGGER model_versions_no_update');
    db.prepare('UPDATE model_versions SET state = ? WHERE number = ?').run(JSON.stringify(state), row.number);
    db.exec("CREATE TRIGGER `model_versions_no_update` BEFORE UPDATE ON `model_versions` BEGIN SELECT RAISE(ABORT, 'model versions are append-only'); END");
    return row.number;
  } finally {
    db.close();
  }
}

/** A predict on a connection of its own (no keep-alive), so that the cluster spreads them over its server processes. Returns the version served. */
function predictOnNewConnection(server: RunningServer, uid: number): Promise<number> {
  const body = JSON.stringify({ query: PREDICT, variables: { model: MODEL, features: features(uid) } });
  return new Promise((resolve, reject) => {
    const request = httpRequest(server.url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } }, (response) => {
      let text = '';
      response.on('data', (d: Buffer) => (text += d.toString()));
      response.on('end', () => {
        const json = JSON.parse(text) as { data?: { predict: { version: number } }; errors?: unknown };
        if (json.data) resolve(json.data.predict.version);
        else reject(new Error(`predict failed: ${text}`));
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

describe('a version whose state was changed behind eddy’s back', () => {
  it('is refused by readers and the learner, which fall back to the newest good version; audit reports it; the next version equals a clean replay', async () => {
    // A model with versions at 25 and 50 labels, and one more written at shutdown (60).
    const first = await RunningServer.start({ db: tempDb(), args: ['--checkpoint-every', '25', '--checkpoint-interval', '600000'] });
    running.push(first);
    await first.data(CREATE, { name: MODEL, spec: LOGREG });
    for (let uid = 1; uid <= 60; uid++) await learnOne(first, MODEL, uid, uid === 60);
    await first.stop();

    const tampered = tamperNewest(first.db);
    const good = tampered - 1;
    expect(good).toBeGreaterThanOrEqual(2);

    // No version is written by time, so what is served right after the restart is what was loaded.
    const server = await RunningServer.start({ db: first.db, args: ['--checkpoint-interval', '600000'] });
    running.push(server);

    // Readers: every server process serves the version before the tampered one, and logs the
    // tampered one, naming the model and the version (concurrent requests reach both processes
    // once both listen). The learner logs it too.
    const naming = (role: string) =>
      new Set(
        logLines(server, 50)
          .filter((l) => l.role === role && l.model === MODEL && l.version === tampered && /sha256/.test(String(l.msg)))
          .map((l) => l.pid),
      ).size;
    await eventually(
      async () => {
        const served = await Promise.all(Array.from({ length: 8 }, (_, i) => predictOnNewConnection(server, i)));
        expect(served).toEqual(served.map(() => good));
        return naming('server') === 2 && naming('learner') === 1 ? true : undefined;
      },
      30_000,
      'error lines naming the tampered version from both server processes and the learner',
    );
    expect((await server.data(`{ model(name: "${MODEL}") { version } }`)).model.version).toBe(good);
    expect(code(await server.gql(PREDICT, { model: MODEL, features: features(1), version: tampered }))).toBe('VERSION_NOT_FOUND');
    const rollback = await server.gql(`mutation { rollback(model: "${MODEL}", version: ${tampered}) { number } }`);
    expect(code(rollback)).toBe('VERSION_NOT_FOUND');
    expect(rollback.errors?.[0].message).toMatch(/does not match its sha256/);

    // Audit reports it; the version before it is fine.
    const [bad, fine] = await audit(server, MODEL, [tampered, good]);
    expect(bad).toMatchObject({ ok: false, version: tampered });
    expect(bad.detail).toMatch(/does not match its sha256/);
    expect(fine.ok).toBe(true);

    // The learner resumed from the good version and replayed the log after it: it learns on, and
    // its next version descends from the good one and equals a clean replay of the whole log.
    for (let uid = 61; uid <= 65; uid++) await learnOne(server, MODEL, uid, true);
    const d = await server.data(`mutation { checkpoint(model: "${MODEL}") { number parent samplesLearned lastEventId sha256 } }`);
    expect(d.checkpoint).toMatchObject({ number: tampered + 1, parent: good, samplesLearned: 65 });
    expect(d.checkpoint.sha256).toBe(cleanReplay(server.db, MODEL, d.checkpoint.lastEventId).sha256);
    const all = await versions(server, MODEL);
    const audits = await audit(server, MODEL, all.map((v) => v.number));
    expect(audits.filter((a) => !a.ok).map((a) => a.version)).toEqual([tampered]);

    // Readers swap in the new good version.
    await eventually(
      async () => {
        const p = await server.data<{ predict: { version: number } }>(PREDICT, { model: MODEL, features: features(1) });
        return p.predict.version === tampered + 1 ? true : undefined;
      },
      10_000,
      'the new version to be served',
    );
  });
});
