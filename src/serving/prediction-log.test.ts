import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeRun, type LoggedPrediction } from '../store/prediction-run.js';
import type { PredictionRecord, PredictionRun, Store } from '../store/types.js';
import { PredictionLog } from './prediction-log.js';

function prediction(i: number): LoggedPrediction {
  return { modelId: 1, version: 1, features: { x: i }, output: { label: true, probabilities: null, value: null }, createdAt: i };
}

/** A store whose logPredictions fails (as with a full disk) while `full` is true. */
function fakeStore() {
  const stored = new Map<string, PredictionRecord>();
  const state = { full: true, calls: 0 };
  const store = {
    async logPredictions(runs: readonly PredictionRun[]) {
      state.calls++;
      if (state.full) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      for (const p of runs.flatMap(decodeRun)) stored.set(p.id, p);
    },
    async getPrediction(id: string) {
      return stored.get(id);
    },
  } as unknown as Store;
  return { store, stored, state };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('PredictionLog while the database cannot take writes', () => {
  it('keeps predictions, retries with a growing delay (not once per prediction), drops the oldest past its bound, and flushes the rest once it can', async () => {
    vi.useFakeTimers();
    const { store, stored, state } = fakeStore();
    const lines: Array<{ level: number; msg: string; dropped?: number }> = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const predictions = new PredictionLog(store, log, 20, 10, 100);

    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push(predictions.add(prediction(i)));
    await vi.advanceTimersByTimeAsync(0);
    // A burst in one tick tries once per full batch before the first failure is known.
    const afterBurst = state.calls;
    expect(afterBurst).toBe(5);
    // Every add after the first failure waits for the retry timer.
    for (let i = 50; i < 200; i++) ids.push(predictions.add(prediction(i)));
    expect(state.calls).toBe(afterBurst);
    expect(await predictions.get(ids[150])).toMatchObject({ id: ids[150], features: { x: 150 } });

    await vi.advanceTimersByTimeAsync(3000);
    expect(state.calls).toBeLessThan(afterBurst + 6);
    const dropped = lines.filter((l) => l.level === 50 && l.dropped !== undefined).reduce((n, l) => n + (l.dropped ?? 0), 0);
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThanOrEqual(100);
    expect(await predictions.get(ids[0])).toBeUndefined();

    state.full = false;
    await vi.advanceTimersByTimeAsync(2500);
    expect(stored.size).toBe(200 - dropped);
    expect(stored.get(ids[199])).toMatchObject({ features: { x: 199 } });
    // Back to normal: a new prediction is flushed after flushMs.
    const last = predictions.add(prediction(200));
    await vi.advanceTimersByTimeAsync(25);
    expect(stored.get(last)).toMatchObject({ features: { x: 200 } });
  });
});

describe('PredictionLog lookups', () => {
  it('finds a prediction while it waits to be written and while it is being written, never with a forged check', async () => {
    const written: PredictionRecord[] = [];
    let release = () => {};
    const store = {
      logPredictions: (runs: readonly PredictionRun[]) =>
        new Promise<void>((resolve) => {
          release = () => {
            written.push(...runs.flatMap(decodeRun));
            resolve();
          };
        }),
      getPrediction: async (id: string) => written.find((p) => p.id === id),
    } as unknown as Store;
    const predictions = new PredictionLog(store, pino({ level: 'silent' }), 1_000_000);
    const first = predictions.add(prediction(1));
    expect(await predictions.get(first)).toMatchObject({ id: first, features: { x: 1 } });
    const flushing = predictions.flush();
    const second = predictions.add(prediction(2));
    expect(await predictions.get(first)).toMatchObject({ id: first, features: { x: 1 } });
    expect(await predictions.get(second)).toMatchObject({ id: second, features: { x: 2 } });
    const forged = first.replace(/[0-9a-f]{8}$/, (c) => (c === '00000000' ? '00000001' : '00000000'));
    expect(await predictions.get(forged)).toBeUndefined();
    release();
    await flushing;
    expect(written.map((p) => p.id)).toEqual([first]);
    expect(await predictions.get(first)).toMatchObject({ id: first, features: { x: 1 } });
  });
});
