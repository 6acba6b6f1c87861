import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { FeatureValue, Label } from '../../src/ml/base/types.js';

export const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

export type Row = Record<string, FeatureValue>;

/** Reads a bundled CSV (gzip or plain) as River's loaders do: numeric-looking cells are numbers. */
export function readCsv(file: string): Row[] {
  const path = `${DATA_DIR}${file}`;
  const raw = readFileSync(path);
  const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const [header, ...lines] = text.split(/\r?\n/).filter((l) => l.length > 0);
  const names = header.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    const row: Row = {};
    names.forEach((name, i) => {
      const cell = cells[i];
      const n = Number(cell);
      row[name] = cell !== '' && Number.isFinite(n) ? n : cell;
    });
    return row;
  });
}

function split(rows: Row[], target: string, label: (v: FeatureValue) => Label): Array<[Row, Label]> {
  return rows.map((row) => {
    const { [target]: y, ...x } = row;
    return [x, label(y)];
  });
}

/** Phishing: 1250 rows, 9 features, binary target `is_phishing` (1 ↦ true). */
export function phishing(): Array<[Row, Label]> {
  return split(readCsv('phishing.csv.gz'), 'is_phishing', (v) => v === 1);
}

/** TrumpApproval: 1001 rows, 6 features, regression target `five_thirty_eight`. */
export function trumpApproval(): Array<[Row, Label]> {
  return split(readCsv('trump_approval.csv.gz'), 'five_thirty_eight', (v) => v as number);
}

/** ImageSegments: 2310 rows, 18 features, 7 classes in `category`. */
export function imageSegments(): Array<[Row, Label]> {
  return split(readCsv('segment.csv.gz'), 'category', (v) => String(v));
}
