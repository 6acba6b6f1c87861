/**
 * Worker-thread entry of `ThreadedWriter`: owns the connections that append events and record
 * predictions, so a server process's event loop never waits on a commit's fsync or on another
 * process holding the write lock.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { NewEvent, PredictionRecord } from '../types.js';
import { SqliteStore } from './sqlite-store.js';

export interface WriterData {
  path: string;
  synchronous: 'full' | 'normal';
  busyTimeoutMs?: number;
}

export type WriterRequest =
  | { id: number; op: 'appendEvents'; batches: NewEvent[][] }
  | { id: number; op: 'logPredictions'; predictions: PredictionRecord[] }
  | { id: number; op: 'close' };

export type WriterReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { message: string; code?: string; name?: string } };

const data = workerData as WriterData;
const events = new SqliteStore(data.path, { synchronous: data.synchronous, busyTimeoutMs: data.busyTimeoutMs });
const predictions = new SqliteStore(data.path, { synchronous: 'normal', busyTimeoutMs: data.busyTimeoutMs });
const port = parentPort;
if (port === null) throw new Error('writer-thread must run in a worker thread');

port.on('message', (request: WriterRequest) => {
  void handle(request).then((reply) => port.postMessage(reply));
});

async function handle(request: WriterRequest): Promise<WriterReply> {
  try {
    switch (request.op) {
      case 'appendEvents':
        return { id: request.id, ok: true, result: await events.appendEvents(request.batches) };
      case 'logPredictions':
        await predictions.logPredictions(request.predictions);
        return { id: request.id, ok: true, result: null };
      case 'close':
        await events.close();
        await predictions.close();
        return { id: request.id, ok: true, result: null };
    }
  } catch (error) {
    const e = error as { message?: string; code?: string; name?: string };
    return { id: request.id, ok: false, error: { message: e.message ?? String(error), code: e.code, name: e.name } };
  }
}
