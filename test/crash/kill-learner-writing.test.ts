import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunningServer, eventually, sleep } from '../support/server.js';
import {
  HAS_STRACE,
  Ledger,
  alive,
  checkVersions,
  createModel,
  kill9,
  killAtWrite,
  liveLearner,
  stopAndRemove,
  verifyAll,
  walTail,
} from './harness.js';

const WIDTH = 999;
const VOCAB = 5;
let server: RunningServer;

/**
 * 999 features per example (the most a request may carry with `uid`) out of a vocabulary of 5000: the model's state (~0.5 MB of canonical
 * JSON) spans a hundred or more WAL pages, so writing a version takes a while.
 */
function wideFeatures(uid: number): Record<string, number> {
  const features: Record<string, number> = { uid };
  for (let j = 0; j < WIDTH; j++) features[`f${uid % VOCAB}_${j}`] = Math.sin(uid * 0.37 + j);
  return features;
}

beforeAll(async () => {
  server = await RunningServer.start({ workers: 1, args: ['--checkpoint-every', '1', '--checkpoint-interval', '100'] });
  await createModel(server);
});

afterAll(async () => {
  await stopAndRemove(server);
});

/** Size and mtime of the WAL: they change as soon as a transaction's pages are being written. */
function walStamp(db: string): string {
  try {
    const s = statSync(`${db}-wal`);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return '';
  }
}

/**
 * Kills the learner inside a version write, then looks at the WAL before anything else writes to
 * it: whether the kill left a transaction half-written. With strace, exactly at its 101st write
 * to the WAL (a version here is a few hundred); without, the moment the WAL changes while only
 * the learner writes to it (it is catching up, a version per event).
 */
async function killWhileWriting(learner: number, exact: boolean): Promise<boolean> {
  if (!(exact && (await killAtWrite(learner, `${server.db}-wal`, 101)))) {
    const stamp = walStamp(server.db);
    const deadline = Date.now() + 10_000;
    while (walStamp(server.db) === stamp && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    kill9(learner);
  }
  await eventually(async () => (alive(learner) ? undefined : true), 5000, 'the learner to die');
  return walTail(`${server.db}-wal`).torn;
}

describe('kill -9 the learner while it writes a version', () => {
  it('every version is whole and audits, and the state equals a clean replay', async () => {
    const ledger = new Ledger(wideFeatures);
    let learner = await liveLearner(server);
    // A backlog the learner works through writing a version per event, while nothing else writes.
    await ledger.stream(() => server.url, { clients: 4, total: 90, batch: 15 });
    const before = checkVersions(server.db).length;
    const torn: boolean[] = [];
    for (let kill = 0; kill < 2; kill++) {
      await sleep(50 + 50 * kill);
      torn.push(await killWhileWriting(learner, kill === 0 && HAS_STRACE));
      learner = await liveLearner(server, learner);
    }
    const during = checkVersions(server.db).length;
    console.log(
      `kill-learner-writing: ${ledger.summary()}; kills mid-transaction: ${torn.join(', ')}${HAS_STRACE ? '' : ' (no strace)'}; versions ${before} → ${during} meanwhile`,
    );
    expect(ledger.failed).toBe(0);
    // strace's kill landed between a version's first page and its commit: SQLite must drop it.
    if (HAS_STRACE) expect(torn[0], 'the first kill left a half-written version').toBe(true);
    // The kills came while the learner was still working through the backlog.
    expect(during).toBeLessThan(ledger.ackCount);
    const { versions } = await verifyAll(server, ledger);
    expect(versions).toBeGreaterThan(during);
  });
});
