import { Worker } from 'node:worker_threads';
import type { PredictionRun } from '../types.js';
import { WriterError } from '../unavailable.js';
import type { WriterData, WriterReply, WriterRequest } from './prediction-writer-thread.js';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Pending = { resolve: () => void; reject: (error: Error) => void };

/**
 * Starts prediction-writer-thread. Run from TypeScript sources (tsx), a worker thread does not
 * inherit tsx's loader, so it is bootstrapped through tsx's `tsImport`; compiled to JavaScript it
 * loads directly.
 */
function startWorker(data: WriterData): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./prediction-writer-thread.js', import.meta.url), { workerData: data });
  }
  const entry = new URL('./prediction-writer-thread.ts', import.meta.url).href;
  const api = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}

/**
 * A server process's prediction log writer, in a worker thread: recording predictions (runs,
 * see prediction-run.ts) in the predictions file, so the server's event loop never waits on a
 * commit or on the file's lock. Once the thread is gone every request fails at once.
 */
export class PredictionWriter {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dead: Error | null = null;

  constructor(data: WriterData) {
    this.worker = startWorker(data);
    this.worker.on('message', (reply: WriterReply) => {
      const p = this.pending.get(reply.id);
      if (p === undefined) return;
      this.pending.delete(reply.id);
      if (reply.ok) p.resolve();
      else p.reject(new WriterError(reply.error.message, reply.error.code));
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the prediction writer thread exited (${code})`)));
  }

  private request(message: WithoutId<WriterRequest>): Promise<void> {
    if (this.dead !== null) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  private fail(error: Error): void {
    this.dead ??= error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  logPredictions(runs: readonly PredictionRun[]): Promise<void> {
    return this.request({ op: 'logPredictions', runs: runs as PredictionRun[] });
  }

  async close(): Promise<void> {
    await this.request({ op: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }
}
