import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunningServer, eventually } from '../support/server.js';
import { CREATE, LOGREG, LearnStream, PREDICT, code, exits, features, label, learnerSaw, verifyRecovered } from './support.js';

const MODEL = 'full';

/**
 * A small filesystem of its own (tmpfs; needs root, as here and in CI). 16 MB: SQLite's WAL
 * grows to about 4 MB before its first automatic checkpoint, and the test fills the rest itself.
 */
function mountSmallFilesystem(): { dir: string; error?: string } {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m,mode=0700', 'tmpfs', dir], { stdio: 'pipe' });
    return { dir };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const e = error as { stderr?: Buffer; message: string };
    return { dir, error: (e.stderr?.toString() || e.message).trim() };
  }
}

/** Writes `path` until the filesystem has no space left; returns the bytes written. */
function fillDisk(path: string): number {
  const fd = openSync(path, 'w');
  let written = 0;
  try {
    for (const size of [1 << 20, 64 << 10, 4 << 10, 512]) {
      const chunk = Buffer.alloc(size, 0x5a);
      try {
        for (;;) written += writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

const mount = mountSmallFilesystem();
const title = mount.error
  ? `a full disk — SKIPPED: cannot mount a tmpfs for the test (${mount.error}); run as root`
  : 'a full disk (a 16 MB tmpfs holding the database)';

let server: RunningServer | undefined;

afterAll(async () => {
  await server?.stop();
  if (!mount.error) {
    execFileSync('umount', [mount.dir]);
    rmSync(mount.dir, { recursive: true, force: true });
  }
});

describe.skipIf(mount.error !== undefined)(title, () => {
  beforeAll(async () => {
    server = await RunningServer.start({ db: join(mount.dir, 'eddy.db'), args: ['--checkpoint-interval', '200'] });
    await server.data(CREATE, { name: MODEL, spec: LOGREG });
  });

  it('learn answers UNAVAILABLE, predict keeps serving, nothing acknowledged is lost, and eddy resumes by itself once space is freed', async () => {
    const s = server!;
    const filler = join(mount.dir, 'filler');
    const stream = new LearnStream(s.url, MODEL);
    let predictionId: string;
    stream.start(4);
    try {
      await stream.until(() => stream.acked.size >= 50, '50 acknowledged learns');
      expect(fillDisk(filler)).toBeGreaterThan(0);
      await stream.until(() => stream.count('UNAVAILABLE') >= 10, 'learns refused with UNAVAILABLE');

      // Predictions come from memory; the prediction log keeps them until it can write them.
      const p = await s.data<{ predict: { id: string; version: number } }>(
        `query($m: String!, $f: JSON!) { predict(model: $m, features: $f) { id version } }`,
        { m: MODEL, f: features(7) },
      );
      predictionId = p.predict.id;
      expect((await s.data(PREDICT, { model: MODEL, features: features(8) })).predict.version).toBeGreaterThanOrEqual(1);
      // The learner meets the full disk too (a version write, a lease renewal) and waits it out.
      await stream.until(learnerSaw(s, /SQLITE_FULL/), 'the learner to meet the full disk', 15_000);

      rmSync(filler);
      const afterFreed = stream.acked.size;
      await stream.until(() => stream.acked.size >= afterFreed + 50, '50 more acknowledged learns once space is freed');
    } finally {
      await stream.stop();
    }
    expect(stream.uncoded, 'answers without an error code (dropped connections, 5xx)').toEqual([]);
    expect([...stream.codes.keys()]).toEqual(['UNAVAILABLE']);
    expect(exits(s), 'processes that died').toEqual([]);

    // The prediction served during the fault reached the log: a late label for it is accepted
    // by whichever server process gets it.
    const late = await eventually(
      async () => {
        const r = await s.gql<{ learn: { eventId: number } }>(
          `mutation($m: String!, $id: ID!, $l: JSON!) { learn(model: $m, predictionId: $id, label: $l) { eventId } }`,
          { m: MODEL, id: predictionId!, l: label(7) },
        );
        if (code(r) === 'PREDICTION_NOT_FOUND') return undefined;
        return r;
      },
      15_000,
      'the prediction served during the fault to be labelled',
    );
    expect(late.errors).toBeUndefined();

    await verifyRecovered(s, MODEL, stream.acked);
  });
});
