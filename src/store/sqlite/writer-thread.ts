/**
 * Worker-thread entry of `ThreadedWriter`: owns the connections that append events and record
 * predictions, so a server process's event loop never waits on a commit's fsync or on another
 * process holding the write lock.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { EncodedEvent } from '../encoded-event.js';
import type { PredictionRun } from '../types.js';
import { SqliteStore } from './sqlite-store.js';

export interface WriterData {
  path: string;
  synchronous: 'full' | 'normal';
  busyTimeoutMs?: number;
}

export type WriterRequest =
  | { id: number; op: 'appendEvents'; batches: EncodedEvent[][] }
  | { id: number; op: 'logPredictions'; runs: PredictionRun[] }
  | { id: number; op: 'close' };

export type WriterReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { message: string; code?: string; name?: string } };

const data = workerData as WriterData;
const events = new SqliteStore(data.path, { synchronous: data.synchronous, busyTimeoutMs: data.busyTimeoutMs });
const predictions = new SqliteStore(data.path, { synchronous: 'normal', busyTimeoutMs: data.busyTimeoutMs });
const port = parentPort;
if (port === null) throw new Error('writer-thread must run in a worker thread');

port.on('message', (first: WriterRequest) => {
  // Everything that queued up while the last commit ran goes into the next one: appends from
  // several requests share one transaction, so one fsync acknowledges all of them.
  const requests = [first];
  for (let next = receiveMessageOnPort(port); next !== undefined; next = receiveMessageOnPort(port)) {
    requests.push(next.message as WriterRequest);
  }
  void run(requests);
});

async function run(requests: WriterRequest[]): Promise<void> {
  const appends = requests.filter((r): r is Extract<WriterRequest, { op: 'appendEvents' }> => r.op === 'appendEvents');
  if (appends.length > 1) {
    const merged = await handle({ id: 0, op: 'appendEvents', batches: appends.flatMap((r) => r.batches) });
    let offset = 0;
    for (const r of appends) {
      if (merged.ok) {
        const outcomes = (merged.result as unknown[]).slice(offset, offset + r.batches.length);
        port?.postMessage({ id: r.id, ok: true, result: outcomes } satisfies WriterReply);
      } else {
        port?.postMessage({ ...merged, id: r.id } satisfies WriterReply);
      }
      offset += r.batches.length;
    }
  }
  for (const r of requests) {
    if (r.op === 'appendEvents' && appends.length > 1) continue;
    port?.postMessage(await handle(r));
  }
}

async function handle(request: WriterRequest): Promise<WriterReply> {
  try {
    switch (request.op) {
      case 'appendEvents':
        return { id: request.id, ok: true, result: events.appendEncoded(request.batches) };
      case 'logPredictions':
        await predictions.logPredictions(request.runs);
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
