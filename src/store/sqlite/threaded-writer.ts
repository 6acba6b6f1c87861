import { Worker } from 'node:worker_threads';
import { encodeBatches, type EncodedEvent } from '../encoded-event.js';
import type { AppendOutcome, NewEvent, PredictionRun } from '../types.js';
import type { WriterData, WriterReply, WriterRequest } from './writer-thread.js';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/** An error from the writer thread, with SQLite's code kept (`SQLITE_FULL`, `SQLITE_BUSY`, …). */
export class WriterError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'WriterError';
  }
}

/**
 * Starts writer-thread. Run from TypeScript sources (tsx), a worker thread does not inherit tsx's
 * loader, so it is bootstrapped through tsx's `tsImport`; compiled to JavaScript it loads directly.
 */
function startWorker(data: WriterData): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./writer-thread.js', import.meta.url), { workerData: data });
  }
  const entry = new URL('./writer-thread.ts', import.meta.url).href;
  const api = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}

/**
 * The write half of the SQLite store, in a worker thread: appending events (with the store's
 * durability, fsynced per commit) and recording predictions. Requests queue in the thread while a
 * commit runs, and the group committer above sends everything that arrived meanwhile as the next
 * commit, so throughput grows with load while the server's event loop stays free.
 */
export class ThreadedWriter {
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
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new WriterError(reply.error.message, reply.error.code));
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the writer thread exited (${code})`)));
  }

  /** Whether the thread has gone (its requests fail at once; the owner may start another). */
  get isDead(): boolean {
    return this.dead !== null;
  }

  private request(message: WithoutId<WriterRequest>): Promise<unknown> {
    if (this.dead !== null) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  /** Once the thread is gone every request fails at once (UNAVAILABLE upstream), never hangs. */
  private fail(error: Error): void {
    this.dead ??= error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  appendEvents(batches: ReadonlyArray<readonly NewEvent[]>): Promise<AppendOutcome[][]> {
    return this.appendEncoded(encodeBatches(batches));
  }

  appendEncoded(batches: EncodedEvent[][]): Promise<AppendOutcome[][]> {
    return this.request({ op: 'appendEvents', batches }) as Promise<AppendOutcome[][]>;
  }

  async logPredictions(runs: readonly PredictionRun[]): Promise<void> {
    await this.request({ op: 'logPredictions', runs: runs as PredictionRun[] });
  }

  async close(): Promise<void> {
    await this.request({ op: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }
}
