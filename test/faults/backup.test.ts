import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/learner/model-state.js';
import { RunningServer, eddy } from '../support/server.js';
import { CREATE, LOGREG, LearnStream, PREDICT, audit, features, removeTempDirs, tempDb, versions } from './support.js';

const MODEL = 'backed-up';
const running: RunningServer[] = [];

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  removeTempDirs();
});

function run(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

interface EventRow {
  id: number;
  model_id: number;
  kind: string;
  features: string | null;
  label: string | null;
  key: string | null;
  created_at: number;
}

/** What a database file holds: its events and versions (number, sha256, stored state). */
function contents(path: string) {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      events: db.prepare('SELECT id, model_id, kind, features, label, key, created_at FROM events ORDER BY id').all() as EventRow[],
      versions: db.prepare('SELECT number, sha256, state, last_event_id FROM model_versions ORDER BY number').all() as Array<{
        number: number;
        sha256: string;
        state: string;
        last_event_id: number;
      }>,
    };
  } finally {
    db.close();
  }
}

describe('eddy backup', () => {
  it('takes a consistent online backup while clients stream learns; eddy serve on it reproduces every version', async () => {
    const live = await RunningServer.start({ db: tempDb(), args: ['--checkpoint-interval', '250'] });
    running.push(live);
    await live.data(CREATE, { name: MODEL, spec: LOGREG });
    const file = join(dirname(tempDb()), 'backup.db');
    writeFileSync(file, 'an older backup');
    const stream = new LearnStream(live.url, MODEL);
    stream.start(4);
    try {
      await stream.until(() => stream.acked.size >= 100, '100 acknowledged learns');
      // An existing file is not overwritten without --force.
      const refused = await run(eddy(['backup', file, '--db', live.db]));
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/exists; give --force to overwrite it/);
      expect(readFileSync(file, 'utf8')).toBe('an older backup');

      const backedUp = await run(eddy(['backup', file, '--db', live.db, '--force']));
      expect(backedUp.stderr).toBe('');
      expect(backedUp.code).toBe(0);
      expect(backedUp.stdout).toMatch(/^backed up .* to .*backup\.db: [\d.]+ MB \(\d+ bytes\), 1 models, \d+ events \(last id \d+\), \d+ versions\n$/);
      const afterBackup = stream.acked.size;
      await stream.until(() => stream.acked.size >= afterBackup + 30, 'learns acknowledged after the backup');
    } finally {
      await stream.stop();
    }
    expect(stream.uncoded).toEqual([]);
    expect(stream.codes.size).toBe(0);

    const backup = contents(file);
    expect(backup.integrity).toBe('ok');
    expect(backup.events.length).toBeGreaterThanOrEqual(100);
    expect(backup.versions.length).toBeGreaterThanOrEqual(2);
    for (const v of backup.versions) expect(sha256(v.state), `version ${v.number}`).toBe(v.sha256);
    // Consistent: no version covers an event the backup does not hold.
    const lastEvent = backup.events[backup.events.length - 1].id;
    expect(Math.max(...backup.versions.map((v) => v.last_event_id))).toBeLessThanOrEqual(lastEvent);

    // The backup's events are a prefix of the live log, its versions a prefix of the live ones.
    await live.stop();
    const log = contents(live.db);
    expect(log.events.length).toBeGreaterThan(backup.events.length);
    expect(log.events.slice(0, backup.events.length)).toEqual(backup.events);
    expect(log.versions.slice(0, backup.versions.length).map((v) => [v.number, v.sha256])).toEqual(
      backup.versions.map((v) => [v.number, v.sha256]),
    );

    // eddy serve on the backup (another port) lists exactly the backup's versions, each audited ok.
    const restored = await RunningServer.start({ db: file, args: ['--checkpoint-interval', '600000'] });
    running.push(restored);
    const listed = await versions(restored, MODEL);
    expect(listed.map((v) => [v.number, v.sha256])).toEqual(backup.versions.map((v) => [v.number, v.sha256]));
    const audits = await audit(restored, MODEL, listed.map((v) => v.number));
    expect(audits.filter((a) => !a.ok)).toEqual([]);
    expect(audits).toHaveLength(backup.versions.length);
    const newest = listed[listed.length - 1].number;
    expect((await restored.data(PREDICT, { model: MODEL, features: features(3) })).predict.version).toBe(newest);
  });

  it('refuses a missing database and a file that is not an eddy database', async () => {
    const dir = dirname(tempDb());
    const missing = await run(eddy(['backup', join(dir, 'b.db'), '--db', join(dir, 'nope.db')]));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^eddy backup: no database at .*nope\.db/);
    const other = join(dir, 'other.db');
    new Database(other).exec('CREATE TABLE t (x)');
    const notEddy = await run(eddy(['backup', join(dir, 'b.db'), '--db', other]));
    expect(notEddy.code).toBe(2);
    expect(notEddy.stderr).toMatch(/is not an eddy database/);
    expect(readdirSync(dir), 'no backup or partial file left behind').toEqual(['other.db']);
  });
});
