/**
 * Worker-thread entry of `PredictionWriter`: owns the connection that records predictions, so a
 * server process's event loop never waits on a commit or on another process holding the lock.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PredictionRun } from '../types.js';
import { PredictionFile } from './prediction-file.js';

export interface WriterData {
  path: string;
  busyTimeoutMs?: number;
}

export type WriterRequest = { id: number; op: 'logPredictions'; runs: PredictionRun[] } | { id: number; op: 'close' };

export type WriterReply =
  | { id: number; ok: true }
  | { id: number; ok: false; error: { message: string; code?: string } };

const data = workerData as WriterData;
const file = new PredictionFile(data.path, { busyTimeoutMs: data.busyTimeoutMs });
const port = parentPort;
if (port === null) throw new Error('prediction-writer-thread must run in a worker thread');

port.on('message', (request: WriterRequest) => {
  port.postMessage(handle(request));
});

function handle(request: WriterRequest): WriterReply {
  try {
    if (request.op === 'logPredictions') file.log(request.runs);
    else file.close();
    return { id: request.id, ok: true };
  } catch (error) {
    const e = error as { message?: string; code?: string };
    return { id: request.id, ok: false, error: { message: e.message ?? String(error), code: e.code } };
  }
}
