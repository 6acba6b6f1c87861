import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { Features } from '../../src/ml/base/types.js';
import { progressiveValScore } from '../../src/ml/evaluate/progressive-validation.js';
import { parseMetric } from '../../src/ml/metrics/parse.js';
import { buildModel } from '../../src/ml/spec/model-spec.js';
import { DATA_DIR, trumpApproval } from '../support/datasets.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TMP = mkdtempSync(join(tmpdir(), 'eddy-evaluate-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real command line, as a user would, in a child process. */
function eddy(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['dist/cli/main.js', ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

const PHISHING = join(DATA_DIR, 'phishing.csv.gz');
const TRUMP = join(DATA_DIR, 'trump_approval.csv.gz');
const LOGREG = JSON.stringify({ steps: [{ type: 'StandardScaler' }, { type: 'LogisticRegression' }] });
const LINREG = { steps: [{ type: 'StandardScaler' }, { type: 'LinearRegression', interceptLr: 0.1 }] };
const PHISHING_METRICS = ['--metric', 'ROCAUC', '--metric', 'Accuracy', '--metric', 'LogLoss', '--metric', 'F1'];

function closeTo(actual: number, expected: number, relative = 1e-12): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));
}

describe('eddy evaluate', () => {
  it('prints River’s scores for StandardScaler | LogisticRegression on Phishing, one line per metric', async () => {
    const run = await eddy('evaluate', '--data', PHISHING, '--target', 'is_phishing', '--model', LOGREG, ...PHISHING_METRICS);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('ROCAUC: 95.07%');
    expect(lines[1]).toBe('Accuracy: 89.28%');
    // River prints 0.3301120464388312; V8's exp/log may differ from glibc's in the last bits.
    expect(lines[2]).toMatch(/^LogLoss: 0\.330112046438\d*$/);
    closeTo(Number(lines[2].slice('LogLoss: '.length)), 0.3301120464388312);
    expect(lines[3]).toBe('F1: 87.97%');
  });

  it('prints exactly one JSON line at full precision with --json', async () => {
    const run = await eddy('evaluate', '--data', PHISHING, '--target', 'is_phishing', '--model', LOGREG, ...PHISHING_METRICS, '--json');
    expect(run.code).toBe(0);
    expect(run.stdout.endsWith('\n')).toBe(true);
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(1);
    const result = JSON.parse(run.stdout) as { samples: number; metrics: Record<string, number> };
    expect(Object.keys(result.metrics)).toEqual(['ROCAUC', 'Accuracy', 'LogLoss', 'F1']);
    expect(result.samples).toBe(1250);
    expect(result.metrics.ROCAUC).toBe(0.9506961340902946);
    expect(result.metrics.Accuracy).toBe(0.8928);
    expect(result.metrics.F1).toBe(0.8797127468581687);
    closeTo(result.metrics.LogLoss, 0.3301120464388312);
  });

  it('prints MAE: 0.558735 for StandardScaler | LinearRegression(interceptLr 0.1) on TrumpApproval', async () => {
    const run = await eddy('evaluate', '--data', TRUMP, '--target', 'five_thirty_eight', '--model', JSON.stringify(LINREG), '--metric', 'MAE');
    expect(run).toEqual({ code: 0, stdout: 'MAE: 0.558735\n', stderr: '' });
  });

  it('reads a plain (not gzip) CSV and a model spec from a JSON file', async () => {
    const csv = join(TMP, 'trump.csv');
    writeFileSync(csv, gunzipSync(readFileSync(TRUMP)));
    const spec = join(TMP, 'spec.json');
    writeFileSync(spec, JSON.stringify(LINREG, null, 2));
    const run = await eddy('evaluate', '--data', csv, '--target', 'five_thirty_eight', '--model', spec, '--metric', 'MAE');
    expect(run).toEqual({ code: 0, stdout: 'MAE: 0.558735\n', stderr: '' });
  });

  it('treats an empty cell as a missing feature (the key is absent), exactly as the core does', async () => {
    const rows = trumpApproval().slice(0, 300);
    const columns = ['ordinal_date', 'five_thirty_eight', 'gallup', 'ipsos', 'morning_consult', 'rasmussen', 'you_gov'];
    const features = columns.filter((c) => c !== 'five_thirty_eight');
    const stream: Array<[Features, number]> = [];
    const lines = [columns.join(',')];
    rows.forEach(([x, y], i) => {
      // Every 7th row loses one feature, a different one each time.
      const hole = i % 7 === 0 ? features[(i / 7) % features.length] : undefined;
      const kept: Record<string, number> = {};
      for (const f of features) if (f !== hole) kept[f] = x[f] as number;
      stream.push([kept, y as number]);
      lines.push(columns.map((c) => (c === 'five_thirty_eight' ? String(y) : c === hole ? '' : String(x[c]))).join(','));
    });
    const csv = join(TMP, 'holes.csv');
    writeFileSync(csv, `${lines.join('\n')}\n`);

    const metrics = [parseMetric('MAE')];
    progressiveValScore(stream, buildModel(LINREG), metrics);
    const run = await eddy('evaluate', '--data', csv, '--target', 'five_thirty_eight', '--model', JSON.stringify(LINREG), '--metric', 'MAE', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ samples: 300, metrics: { MAE: metrics[0].get() } });
  });

  it('reports each kind of bad input as one line on stderr, `eddy evaluate: …`, with exit code 2', async () => {
    const badTarget = join(TMP, 'bad-target.csv');
    writeFileSync(badTarget, 'a,b,y\n1,2,3\n4,5,6\n7,8,oops\n');
    const cases: Array<[string[], RegExp]> = [
      [['--data', join(TMP, 'nope.csv'), '--target', 'y', '--model', LOGREG], /nope\.csv: .*no such file/],
      [['--data', PHISHING, '--target', 'nope', '--model', LOGREG], /unknown column "nope"/],
      [['--data', PHISHING, '--target', 'is_phishing', '--model', '{"type":"LogisticRegression","l2":-1}'], /invalid model spec: l2 must be >= 0/],
      [['--data', PHISHING, '--target', 'is_phishing', '--model', LOGREG, '--metric', 'Nope'], /invalid --metric "Nope"/],
      [['--data', badTarget, '--target', 'y', '--model', '{"type":"LinearRegression"}'], /line 4: target "y" is "oops", not a number/],
    ];
    const runs = await Promise.all(cases.map(([args]) => eddy('evaluate', ...args)));
    runs.forEach((run, i) => {
      expect(run.code, run.stderr).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.endsWith('\n')).toBe(true);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/^eddy evaluate: /);
      expect(run.stderr).toMatch(cases[i][1]);
    });
  });
});
