import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, RunningServer, tempDb } from '../support/server.js';
import { run } from './run-eddy.js';

// eddy import / versions / rollback / audit / demo against a running `eddy serve` (--url), and
// the file mode refusing to write under a running server.

const PHISHING = join(ROOT, 'data/phishing.csv.gz');
const LOGREG = JSON.stringify({ steps: [{ type: 'StandardScaler' }, { type: 'LogisticRegression' }] });
const FILE_DB = tempDb();

let server: RunningServer;
beforeAll(async () => {
  server = await RunningServer.start({ args: ['--checkpoint-interval', '200'] });
});
afterAll(async () => {
  await server?.stop();
  rmSync(dirname(server.db), { recursive: true, force: true });
  rmSync(dirname(FILE_DB), { recursive: true, force: true });
});

interface VersionJson {
  number: number;
  reason: string;
  rollbackOf: number | null;
  samplesLearned: number;
  sha256: string;
}

const importArgs = (model: string) => ['import', '--data', PHISHING, '--target', 'is_phishing', '--model', model, '--spec', LOGREG];

describe('eddy commands against a running server', () => {
  it('imports over HTTP with learnMany, ending with an import version in the same state as an import into a file', async () => {
    const [http, file] = await Promise.all([
      run([...importArgs('phish'), '--url', server.url, '--batch', '400']),
      run([...importArgs('phish'), '--db', FILE_DB]),
    ]);
    expect(http.stderr).toBe('');
    expect(http.code).toBe(0);
    expect(http.stdout).toContain('imported 1,250 rows');
    expect(file.code).toBe(0);

    // EDDY_URL is the default for --url.
    const [viaServer, viaFile] = await Promise.all([
      run(['versions', '--model', 'phish', '--json'], { EDDY_URL: server.url }),
      run(['versions', '--model', 'phish', '--json', '--db', FILE_DB]),
    ]);
    expect(viaServer.code).toBe(0);
    const remote = JSON.parse(viaServer.stdout) as VersionJson[];
    const local = JSON.parse(viaFile.stdout) as VersionJson[];
    expect(remote[0]).toMatchObject({ reason: 'import', samplesLearned: 1250 });
    // Same spec, same rows in the same order: the same bytes, whichever way they went.
    expect(remote[0].sha256).toBe(local[0].sha256);
    const model = await server.data('{ model(name: "phish") { samplesLearned lag } }');
    expect(model.model).toEqual({ samplesLearned: 1250, lag: 0 });
  });

  it('refuses to write to the database file of a running server and says to use --url', async () => {
    const [rollback, importing] = await Promise.all([
      run(['rollback', '--db', server.db, '--model', 'phish', '--version', '1']),
      run([...importArgs('other'), '--db', server.db]),
    ]);
    for (const [r, command] of [
      [rollback, 'rollback'],
      [importing, 'import'],
    ] as const) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^eddy ${command}: a server is using .* holds the lease\\); use --url to go through it\\n$`));
    }
    const models = await server.data<{ models: Array<{ name: string }> }>('{ models { name } }');
    expect(models.models.map((m) => m.name)).not.toContain('other');
  });

  it('rolls back through the server, then audits every version ok; unknown models and versions are one-line errors', async () => {
    const r = await run(['rollback', '--url', server.url, '--model', 'phish', '--version', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^version \d+ \(rollback of 1\): 0 samples/);

    const [audit, missingModel, missingVersion] = await Promise.all([
      run(['audit', '--url', server.url, '--model', 'phish', '--all']),
      run(['audit', '--url', server.url, '--model', 'nope']),
      run(['rollback', '--url', server.url, '--model', 'phish', '--version', '999']),
    ]);
    expect(audit.stderr).toBe('');
    expect(audit.code).toBe(0);
    const lines = audit.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) expect(line).toMatch(/^version \d+  ok      sha256 [0-9a-f]{64}  \(\d+ events? replayed\)$/);
    expect(missingModel).toEqual({ code: 2, stdout: '', stderr: 'eddy audit: model nope not found\n' });
    expect(missingVersion).toEqual({ code: 2, stdout: '', stderr: 'eddy rollback: model phish has no version 999\n' });
  });

  it('demo streams Phishing through learn from concurrent clients, prints the live metric, and every ack is applied', async () => {
    const r = await run(['demo', '--url', server.url, '--limit', '400', '--rate', '500', '--clients', '8', '--every', '100']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`model phishing: StandardScaler | LogisticRegression on ${server.url}`);
    expect(lines.some((l) => /^\s*\d+ labels {2}ROCAUC: \d+\.\d\d% {2}Accuracy: \d+\.\d\d%$/.test(l))).toBe(true);
    expect(lines.at(-2)).toMatch(/^final: 400 labels {2}ROCAUC: \d+\.\d\d% {2}Accuracy: \d+\.\d\d%$/);
    expect(lines.at(-1)).toBe('check: 400 labels acknowledged, 400 learnt: every acknowledged label was applied once');
    const model = await server.data('{ model(name: "phishing") { samplesLearned lag } }');
    expect(model.model).toEqual({ samplesLearned: 400, lag: 0 });
  });
});
