import type { LearnerMessage } from '../../learner/messages.js';
import { createHttpServer } from '../../graphql/server.js';
import { createEddyGraphQL } from '../../graphql/yoga.js';
import { Authenticator } from '../../serving/authenticator.js';
import { EddyService } from '../../serving/eddy-service.js';
import type { LearnerLink } from '../../serving/learner-link.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { PredictionWriter } from '../../store/sqlite/prediction-writer.js';
import { createLogger } from '../logger.js';
import type { ServeOptions } from '../serve-options.js';
import { type FromPrimary, send } from './ipc.js';
import { IpcEventWriter } from './ipc-event-writer.js';

/** Learner messages relayed by the cluster primary. No nudges: the primary commits the events and tells the learner itself (NudgeThrottle). */
class IpcLink implements LearnerLink {
  private readonly listeners: Array<(m: LearnerMessage) => void> = [];

  constructor() {
    process.on('message', (m: FromPrimary) => {
      if (m.type === 'learner') for (const l of this.listeners) l(m.message);
    });
  }

  onMessage(listener: (message: LearnerMessage) => void): void {
    this.listeners.push(listener);
  }
}

/** A server process: GraphQL over HTTP and WebSocket, predictions from memory, never writes model state. */
export async function runServerProcess(options: ServeOptions): Promise<void> {
  const log = createLogger('server');
  const store = new SqliteStore(options.db, { synchronous: options.synchronous, busyTimeoutMs: options.busyTimeoutMs });
  // Events go to the machine's one writer in the primary; predictions to this process's own
  // thread (no fsync, and nobody waits for them).
  const predictionWriter = new PredictionWriter({ path: options.db, busyTimeoutMs: options.busyTimeoutMs });
  const events = new IpcEventWriter();
  const service = new EddyService({
    store,
    writer: {
      appendEvents: (batches, urgent) => events.appendEvents(batches, urgent),
      logPredictions: (predictions) => predictionWriter.logPredictions(predictions),
    },
    link: new IpcLink(),
    log,
    limits: options.limits,
    waitTimeoutMs: options.waitTimeoutMs,
  });
  const graphql = createEddyGraphQL({
    service,
    log,
    graphiql: options.graphiql,
    maxBodyBytes: options.limits.maxBodyBytes,
    authenticator: new Authenticator({ store }),
    rateLimits: options.rateLimits,
    introspection: options.introspection,
    queryLimits: options.queryLimits,
  });
  const { server, close } = createHttpServer(graphql, {
    service,
    log,
    subscriptions: options.subscriptions,
    subscriptionIntervalMs: options.subscriptionIntervalMs,
    maxBodyBytes: options.limits.maxBodyBytes,
  });
  server.listen(options.port, options.host, () => {
    log.info('server process listening');
    send({ type: 'ready', role: 'server' });
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // Stop accepting; requests in flight finish; buffered predictions reach the database.
    await close();
    await service.close();
    await predictionWriter.close();
    await store.close();
    process.exit(0);
  };
  process.on('message', (m: FromPrimary) => {
    if (m.type === 'shutdown') void stop();
  });
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => {
    /* the primary coordinates shutdown */
  });
}
