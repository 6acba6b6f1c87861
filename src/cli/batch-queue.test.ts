import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsv } from '../data/read-csv.js';
import { BatchQueue } from './batch-queue.js';

const TMP = mkdtempSync(join(tmpdir(), 'eddy-batch-queue-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const tick = (ms = 1) => new Promise((resolve) => setTimeout(resolve, ms));

describe('BatchQueue', () => {
  it('sends batches one at a time, in the order they were pushed', async () => {
    const sent: number[] = [];
    let inFlight = 0;
    let most = 0;
    const queue = new BatchQueue<number>(async (n) => {
      most = Math.max(most, ++inFlight);
      await tick();
      sent.push(n);
      inFlight--;
    });
    for (let n = 0; n < 5; n++) await queue.push(n);
    await queue.finish();
    expect(sent).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(1);
  });

  it('stops at the first failure: nothing after it is sent, the next push throws it, finish rejects with it', async () => {
    const boom = new Error('refused');
    const sent: number[] = [];
    const queue = new BatchQueue<number>(async (n) => {
      await tick();
      if (n === 1) throw boom;
      sent.push(n);
    }, 10);
    queue.push(0);
    queue.push(1);
    queue.push(2);
    await expect(queue.finish()).rejects.toBe(boom);
    expect(sent).toEqual([0]);
    expect(() => queue.push(3)).toThrow(boom);
  });

  it('holds a CSV reader back, so rows read but not yet sent stay within depth + 1 batches', async () => {
    const path = join(TMP, 'rows.csv');
    writeFileSync(path, `x\n${Array.from({ length: 2000 }, (_, i) => i).join('\n')}\n`);
    let read = 0;
    let sent = 0;
    let ahead = 0;
    const queue = new BatchQueue<number[]>(async (batch) => {
      await tick();
      sent += batch.length;
    }, 2);
    let batch: number[] = [];
    await readCsv(path, {
      onHeader: () => {},
      onRow: (cells) => {
        batch.push(Number(cells[0]));
        ahead = Math.max(ahead, ++read - sent);
        if (batch.length < 100) return undefined;
        const full = batch;
        batch = [];
        return queue.push(full);
      },
    });
    await queue.finish();
    expect(sent).toBe(2000);
    expect(ahead).toBeLessThanOrEqual(400);
  });
});
