import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Learner, LeaseHeldError } from '../../learner/learner.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { isStoreUnavailable } from '../../store/unavailable.js';
import { createLogger } from '../logger.js';
import type { ServeOptions } from '../serve-options.js';
import { type FromPrimary, send } from './ipc.js';

/** Exit code of a learner that found the lease held by another live learner. */
export const EXIT_LEASE_HELD = 3;

export function learnerHolder(): string {
  return `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
}

/**
 * The learner process: the only writer of versions. Under `eddy serve` it talks to the primary
 * over IPC; standalone (`eddy learner`) it only logs.
 */
export async function runLearnerProcess(options: ServeOptions, takeOverFrom?: string): Promise<void> {
  const log = createLogger('learner');
  const store = new SqliteStore(options.db, { synchronous: options.synchronous, busyTimeoutMs: options.busyTimeoutMs });
  const holder = learnerHolder();
  const learner = new Learner({
    store,
    holder,
    log,
    takeOverFrom,
    checkpointEvery: options.checkpointEvery,
    checkpointIntervalMs: options.checkpointIntervalMs,
    publish: (message) => send({ type: 'learner', message }),
  });
  // A shutdown may arrive while the learner is still starting (loading models, waiting for a
  // locked database): remember it and stop as soon as the start is over.
  let shutdownRequested = false;
  const early = (m: FromPrimary) => {
    if (m.type === 'shutdown') shutdownRequested = true;
  };
  process.on('message', early);
  process.once('SIGTERM', () => (shutdownRequested = true));
  let started = false;
  for (let attempt = 0; !shutdownRequested; attempt++) {
    try {
      await learner.start();
      started = true;
      break;
    } catch (error) {
      if (error instanceof LeaseHeldError) {
        log.error({ holder: error.holder }, error.message);
        process.stderr.write(`eddy learner: ${error.message}\n`);
        await store.close();
        process.exit(EXIT_LEASE_HELD);
      }
      if (isStoreUnavailable(error)) {
        // Locked or full: wait here (the log holds everything) rather than exit and be forked again.
        const retryInMs = Math.min(2000, 100 * 2 ** attempt);
        log.warn({ err: error, retryInMs }, 'database unavailable; the learner retries starting');
        await new Promise((resolve) => setTimeout(resolve, retryInMs));
        continue;
      }
      // Exit rather than throw: a cluster worker's IPC channel would keep a failed learner alive
      // (and learning stopped) instead of letting the primary start a new one.
      log.error({ err: error }, 'learner could not start');
      process.stderr.write(`eddy learner: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
      await store.close();
      process.exit(1);
    }
  }
  process.off('message', early);
  if (shutdownRequested) {
    if (started) await learner.stop();
    await store.close();
    process.exit(0);
  }
  send({ type: 'holder', holder });
  send({ type: 'ready', role: 'learner' });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await learner.stop();
    await store.close();
    log.info('learner stopped');
    process.exit(code);
  };
  process.on('message', (m: FromPrimary) => {
    if (m.type === 'nudge') learner.nudge(m.maxEventId);
    else if (m.type === 'shutdown') void stop(0);
  });
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  learner.done.then(
    () => void stop(0),
    () => void stop(1),
  );
}
