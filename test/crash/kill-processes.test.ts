import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunningServer } from '../support/server.js';
import { Ledger, checkLog, checkVersions, children, createModel, kill9, killEverything, liveLearner, verifyAll, stopAndRemove } from './harness.js';

const ARGS = ['--checkpoint-every', '50', '--checkpoint-interval', '100'];
let server: RunningServer;
const ledger = new Ledger();

beforeAll(async () => {
  server = await RunningServer.start({ args: ARGS });
  await createModel(server);
  await liveLearner(server);
});

afterAll(async () => {
  await stopAndRemove(server);
});

describe('kill -9 of server processes', () => {
  it('kill -9 of a server process mid-request loses no acknowledged event; the primary restarts it', async () => {
    let done = false;
    const stream = ledger.stream(() => server.url, { clients: 8, total: 20_000, until: () => done });
    let victim = 0;
    try {
      await ledger.waitForAcks(500);
      [victim] = children(server.process.pid!).server;
      const failedBefore = ledger.failed;
      kill9(victim);
      await ledger.waitForAcks(ledger.ackCount + 800);
      // Usually requests were in flight on the killed process and failed with it; on a busy
      // machine the kill can fall between them (CI saw it once), which proves less but is no
      // failure of eddy's: what must hold is checked below either way.
      if (ledger.failed === failedBefore) console.warn('kill-server: the kill met no request in flight this time');
    } finally {
      done = true;
      await stream;
    }
    const servers = children(server.process.pid!).server;
    expect(servers).toHaveLength(2);
    expect(servers).not.toContain(victim);
    // Keyed requests that failed with the process are retried: acknowledged once, applied once.
    await ledger.retryPending(() => server.url);
    console.log(`kill-server: ${ledger.summary()}`);
    await verifyAll(server, ledger);
  });

  it('kill -9 of every process mid-stream, then eddy serve on the same file, loses nothing', async () => {
    let done = false;
    const stream = ledger.stream(() => server.url, { clients: 8, total: 20_000, until: () => done });
    try {
      await ledger.waitForAcks(ledger.ackCount + 800);
      await killEverything(server);
    } finally {
      done = true;
      await stream;
    }
    const before = checkLog(server.db, ledger);
    checkVersions(server.db);

    // Restart on the same file; requests whose acknowledgement the kill swallowed are retried
    // with their keys and must come back with the event they already got.
    server = await RunningServer.start({ db: server.db, args: ARGS });
    await ledger.retryPending(() => server.url);
    await ledger.stream(() => server.url, { clients: 4, total: 400 });
    console.log(`kill-everything: ${ledger.summary()}`);
    const { events } = await verifyAll(server, ledger);
    expect(events).toBeGreaterThan(before);
  });
});
