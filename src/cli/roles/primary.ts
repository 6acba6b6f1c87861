import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { EncodedEvent } from '../../store/encoded-event.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { GroupWriter } from '../../store/sqlite/group-writer.js';
import { PredictionRetention } from '../../store/sqlite/prediction-retention.js';
import { checkExposure } from '../listen-policy.js';
import { createLogger } from '../logger.js';
import type { ServeOptions } from '../serve-options.js';
import { type FromPrimary, ProgressCache, type ToPrimary } from './ipc.js';
import { EXIT_LEASE_HELD } from './learner-process.js';
import { NudgeThrottle } from './nudge-throttle.js';

/**
 * The supervisor of `eddy serve`: migrates the database, starts one learner and N server
 * processes, relays messages between them, restarts any that die, and on SIGTERM/SIGINT shuts
 * them down in order (servers finish their requests, then the learner applies and checkpoints).
 */
export async function runPrimary(options: ServeOptions): Promise<void> {
  const log = createLogger('primary');
  SqliteStore.migrate(options.db);
  const exposure = await checkExposure(options, await keysExist(options.db));

  const servers = new Set<Worker>();
  const progress = new ProgressCache();
  const retention = options.predictionRetentionMs > 0 ? new PredictionRetention(options.db, options.predictionRetentionMs, log) : null;
  retention?.start();
  let learner: Worker | null = null;
  const nudges = new NudgeThrottle((maxEventId) => {
    if (learner !== null) sendTo(learner, { type: 'nudge', maxEventId });
  });
  // The machine's one event writer: every server process's learns share its commits, and the
  // learner hears of them (it sleeps when it has caught up).
  const writer = new GroupWriter(options.db, {
    synchronous: options.synchronous,
    busyTimeoutMs: options.busyTimeoutMs,
    // An urgent nudge goes before the commit's replies (they go out in the microtasks after it):
    // the learner's progress, a hop later, can never overtake them.
    onCommit: (maxEventId, urgent) => nudges.committed(maxEventId, urgent),
  });
  const append = (worker: Worker, id: number, batches: EncodedEvent[][], urgent: boolean) => {
    writer.append(batches, urgent).then(
      (outcomes) => sendTo(worker, { type: 'appended', id, outcomes }),
      (error: Error & { code?: string }) => sendTo(worker, { type: 'append-failed', id, message: error.message, code: error.code }),
    );
  };
  let learnerHolder: string | undefined;
  let shuttingDown = false;
  let learnerRestarts = 0;

  const startLearner = () => {
    const worker = cluster.fork({ EDDY_ROLE: 'learner', EDDY_TAKEOVER: learnerHolder ?? '' });
    learner = worker;
    worker.on('message', (m: ToPrimary) => {
      if (m.type === 'holder') learnerHolder = m.holder;
      else if (m.type === 'ready') learnerRestarts = 0;
      else if (m.type === 'learner') {
        progress.update(m.message);
        for (const s of servers) sendTo(s, { type: 'learner', message: m.message });
      }
    });
    worker.on('exit', (code, signal) => {
      if (learner === worker) learner = null;
      if (shuttingDown) return;
      const delay = code === EXIT_LEASE_HELD ? 2000 : Math.min(5000, 100 * 2 ** learnerRestarts++);
      log.warn({ code, signal, restartInMs: delay }, 'learner exited; restarting');
      setTimeout(() => !shuttingDown && startLearner(), delay);
    });
  };

  const startServer = () => {
    const worker = cluster.fork({ EDDY_ROLE: 'server' });
    servers.add(worker);
    worker.on('message', (m: ToPrimary) => {
      if (m.type === 'append') append(worker, m.id, m.batches, m.urgent);
      else if (m.type === 'ready') sendTo(worker, { type: 'learner', message: progress.snapshot() });
    });
    worker.on('exit', (code, signal) => {
      servers.delete(worker);
      if (shuttingDown) return;
      log.warn({ code, signal }, 'server process exited; restarting');
      setTimeout(() => !shuttingDown && startServer(), 100);
    });
  };

  startLearner();
  for (let i = 0; i < options.workers; i++) startServer();
  announce(log, options);
  log[exposure.level](exposure.message);

  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'shutting down: servers first, then the learner');
    await Promise.all([...servers].map((w) => stopWorker(w, 10_000)));
    if (learner !== null) await stopWorker(learner, 30_000);
    retention?.stop();
    nudges.stop();
    await writer.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  watchParent(process.env.EDDY_EXIT_WITH_PARENT, () => void shutdown('parent exited'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

async function keysExist(db: string): Promise<boolean> {
  const store = new SqliteStore(db, { readonly: true });
  try {
    return await store.hasApiKeys();
  } finally {
    await store.close();
  }
}

function sendTo(worker: Worker, message: FromPrimary): void {
  // A process killed a moment ago still looks connected until its exit is noticed: the write
  // then fails with EPIPE, which without a callback is an 'error' event that would crash the
  // primary. The message is moot (the exit handler restarts the process, which catches up).
  if (worker.isConnected()) worker.send(message, () => {});
}

function stopWorker(worker: Worker, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (worker.isDead()) return resolve();
    const timer = setTimeout(() => {
      worker.process.kill('SIGKILL');
      resolve();
    }, timeoutMs);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    sendTo(worker, { type: 'shutdown' });
  });
}

function announce(log: Logger, o: ServeOptions): void {
  const url = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${o.port}/graphql`;
  log.info({ url, db: o.db, workers: o.workers }, `eddy serving GraphQL${o.graphiql ? ' and GraphiQL' : ''} at ${url}`);
}

/**
 * With `EDDY_EXIT_WITH_PARENT=<pid>` (set by the test harness), shut down when that process is
 * gone, so a test runner that dies without cleaning up leaves no server behind.
 */
function watchParent(pid: string | undefined, onGone: () => void): void {
  const parent = Number(pid);
  if (!Number.isInteger(parent) || parent <= 0) return;
  const timer = setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      clearInterval(timer);
      onGone();
    }
  }, 1000);
  timer.unref();
}
