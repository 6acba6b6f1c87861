import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunningServer } from '../support/server.js';
import { Ledger, createModel, kill9, liveLearner, verifyAll, stopAndRemove } from './harness.js';

let server: RunningServer;

beforeAll(async () => {
  server = await RunningServer.start({ args: ['--checkpoint-every', '50', '--checkpoint-interval', '100'] });
  await createModel(server);
});

afterAll(async () => {
  await stopAndRemove(server);
});

describe('kill -9 the learner mid-stream', () => {
  it('loses no acknowledged event, applies each once, and ends in the state of a clean replay', async () => {
    const ledger = new Ledger();
    let done = false;
    const first = await liveLearner(server);
    const stream = ledger.stream(() => server.url, { clients: 6, total: 20_000, until: () => done });
    try {
      await ledger.waitForAcks(600);
      kill9(first);
      // The primary restarts it; the new one takes the lease over from the dead one and replays
      // from the newest version, while the clients keep streaming.
      const second = await liveLearner(server, first);
      await ledger.waitForAcks(ledger.ackCount + 500);
      kill9(second);
      await liveLearner(server, second);
      await ledger.waitForAcks(ledger.ackCount + 500);
    } finally {
      done = true;
      await stream;
    }
    await ledger.retryPending(() => server.url);
    console.log(`kill-learner: ${ledger.summary()}`);
    expect(ledger.ackCount).toBeGreaterThanOrEqual(1600);
    // Learns never depend on the learner: none failed while it was dead.
    expect(ledger.failed).toBe(0);
    expect(ledger.deliberateDuplicates).toBeGreaterThan(0);
    expect(server.output).toMatch(/"signal":"SIGKILL".*learner exited; restarting/);

    await verifyAll(server, ledger);
  });
});
