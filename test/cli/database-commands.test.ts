import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tempDb } from '../support/server.js';
import { run } from './run-eddy.js';

// eddy import / versions / rollback / audit on a database file, with no server running: the
// commands run a learner in their own process.

const PHISHING = join(ROOT, 'data/phishing.csv.gz');
const LOGREG = JSON.stringify({ steps: [{ type: 'StandardScaler' }, { type: 'LogisticRegression' }] });
const DB = tempDb();
afterAll(() => rmSync(dirname(DB), { recursive: true, force: true }));

interface VersionJson {
  number: number;
  parent: number | null;
  reason: string;
  rollbackOf: number | null;
  samplesLearned: number;
  lastEventId: number;
  sha256: string;
  metrics: Array<{ name: string; value: number; text: string }>;
}

async function versions(): Promise<VersionJson[]> {
  const r = await run(['versions', '--db', DB, '--model', 'phish', '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as VersionJson[];
}

describe('eddy import --db', () => {
  it('streams the CSV through an in-process learner and ends with an import version of every row', async () => {
    const r = await run(['import', '--db', DB, '--data', PHISHING, '--target', 'is_phishing', '--model', 'phish', '--spec', LOGREG]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('imported 1,250 rows');
    expect(r.stdout).toMatch(/^version 2 \(import\): 1,250 samples/m);

    const [table, list] = await Promise.all([run(['versions', '--db', DB, '--model', 'phish']), versions()]);
    expect(list.map((v) => [v.number, v.parent, v.reason])).toEqual([
      [2, 1, 'import'],
      [1, null, 'created'],
    ]);
    expect(list[0].samplesLearned).toBe(1250);
    // Rows are learnt in file order, so the live metrics are River's progressive validation scores.
    const rocauc = list[0].metrics.find((m) => m.name === 'ROCAUC');
    expect(rocauc?.text).toBe('ROCAUC: 95.07%');
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^VERSION\s+PARENT\s+REASON\s+ROLLBACK OF\s+CREATED\s+SAMPLES\s+LAST EVENT\s+SHA256\s+METRICS$/);
    expect(lines[1]).toMatch(new RegExp(`^\\s*2\\s+1\\s+import\\s+-\\s+\\S+ \\S+\\s+1250\\s+1251\\s+${list[0].sha256.slice(0, 12)}\\s+Accuracy: 89.28%`));
  });

  it('refuses, in one line with exit code 2, a missing model, a bad row, and a bad spec', async () => {
    const bad = join(dirname(DB), 'bad.csv');
    writeFileSync(bad, 'x,y\n1,1\n2,maybe\n');
    const [missing, noDb, row, spec, both] = await Promise.all([
      run(['versions', '--db', DB, '--model', 'nope']),
      run(['audit', '--db', join(dirname(DB), 'absent.db'), '--model', 'phish']),
      run(['import', '--db', DB, '--data', bad, '--target', 'y', '--model', 'rows', '--spec', LOGREG, '--batch', '1']),
      run(['import', '--db', DB, '--data', bad, '--target', 'y', '--model', 'other', '--spec', '{"type":"Nope"}']),
      run(['versions', '--db', DB, '--url', 'http://127.0.0.1:1/graphql', '--model', 'phish']),
    ]);
    expect(missing).toEqual({ code: 2, stdout: '', stderr: 'eddy versions: model nope not found\n' });
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toMatch(/^eddy audit: no database at .*absent\.db/);
    expect(row.code).toBe(2);
    expect(row.stderr).toBe(
      `eddy import: ${bad}: line 3: target "y" must be true or false (or 1/0) for a binary model (1 earlier row was imported)\n`,
    );
    expect(spec.code).toBe(2);
    expect(spec.stderr).toMatch(/^eddy import: invalid --spec: .*Nope.*\n$/);
    expect(both).toMatchObject({ code: 2, stderr: 'eddy versions: give --url or --db, not both\n' });
  });

  it('rolls back by appending a copy of an older version, and every version then passes the audit', async () => {
    // The first test left versions 1 (created) and 2 (import).
    const r = await run(['rollback', '--db', DB, '--model', 'phish', '--version', '2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^version 3 \(rollback of 2\): 1,250 samples, .*, sha256 [0-9a-f]{12}\n$/);

    const [audit, list] = await Promise.all([run(['audit', '--db', DB, '--model', 'phish', '--all']), versions()]);
    expect(list[0]).toMatchObject({ number: 3, parent: 2, reason: 'rollback', rollbackOf: 2, samplesLearned: 1250 });
    expect(list[0].sha256).toBe(list[1].sha256);
    expect(audit.stderr).toBe('');
    expect(audit.code).toBe(0);
    const lines = audit.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    lines.forEach((line, i) => expect(line).toMatch(new RegExp(`^version ${i + 1}  ok      sha256 [0-9a-f]{64}  \\(\\d+ events? replayed\\)$`)));
  });

  it('catches a version whose state was rewritten, even with a matching sha256, and exits 1', async () => {
    const db = new Database(DB);
    try {
      // The triggers forbid this; a tamperer with file access drops them first.
      db.exec('DROP TRIGGER model_versions_no_update');
      const { state } = db.prepare('SELECT state FROM model_versions WHERE number = 2').get() as { state: string };
      const forged = state.replace('"samplesLearned":1250', '"samplesLearned":1249');
      expect(forged).not.toBe(state);
      const sha = createHash('sha256').update(forged).digest('hex');
      db.prepare('UPDATE model_versions SET state = ?, sha256 = ? WHERE number = 2').run(forged, sha);
    } finally {
      db.close();
    }
    const all = await run(['audit', '--db', DB, '--model', 'phish', '--all']);
    expect(all.code).toBe(1);
    expect(all.stdout).toMatch(/^version 1  ok /m);
    expect(all.stdout).toMatch(/^version 2  FAILED  expected [0-9a-f]{64}  replayed [0-9a-f]{64}  .*: replaying the events does not reproduce the stored state$/m);
    // Version 3 copied version 2, so replaying it from the forged state does not match either.
    expect(all.stdout).toMatch(/^version 3  FAILED /m);
    expect(all.stderr).toMatch(/^eddy audit: 2 of 3 versions of phish FAILED the audit\n$/);
  });

  it('fails the audit of, and will not restore, a version whose bytes do not match its sha256', async () => {
    const db = new Database(DB);
    try {
      db.prepare(`UPDATE model_versions SET state = replace(state, '"samplesLearned":1250', '"samplesLearned":1251') WHERE number = 3`).run();
    } finally {
      db.close();
    }
    const [r, audit] = await Promise.all([
      run(['rollback', '--db', DB, '--model', 'phish', '--version', '3']),
      run(['audit', '--db', DB, '--model', 'phish', '--version', '3']),
    ]);
    expect(audit.code).toBe(1);
    expect(audit.stdout).toMatch(/^version 3  FAILED  .*: the stored state does not match its sha256: the row was changed outside eddy\n$/);
    expect(audit.stderr).toBe('eddy audit: version 3 of phish FAILED the audit\n');
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: 'eddy rollback: model phish version 3 does not match its sha256 (tampered or corrupt); it cannot be restored\n',
    });
  });
});
