/**
 * Fault-test harness: clients that stream labels at a real `eddy serve` and remember exactly what
 * was acknowledged, ways to kill its processes, and the checks every crash test ends with (each
 * acknowledged event in the log exactly once, versions consistent with the log, the newest state
 * equal to a clean replay, every version audited).
 */
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';
import { applyLearn, createState, serializeState, sha256 } from '../../src/learner/model-state.js';
import { learnEventsIn } from '../support/log.js';
import { type RunningServer, eventually, sleep } from '../support/server.js';

// ---- processes ----

/** Whether a process is alive (a zombie counts as dead). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Live children of `pid` by their EDDY_ROLE (cluster workers carry it in their environment). */
export function children(pid: number): { learner: number[]; server: number[] } {
  const found = { learner: [] as number[], server: [] as number[] };
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== pid || fields[0] === 'Z') continue;
      const env = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (env.includes('EDDY_ROLE=learner')) found.learner.push(Number(entry));
      else if (env.includes('EDDY_ROLE=server')) found.server.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** The one live learner process of a running `eddy serve`, waiting for a (re)started one. */
export async function liveLearner(server: RunningServer, not?: number): Promise<number> {
  try {
    return await eventually(
      async () => {
        const [pid] = children(server.process.pid!).learner;
        // "learner started" is logged once the lease is taken and the newest versions loaded.
        if (pid !== undefined && pid !== not && server.pids('learner').includes(pid)) return pid;
        return undefined;
      },
      30_000,
      'a running learner',
    );
  } catch (error) {
    const log = server.output.split('\n').filter((l) => !l.includes('"role":"server"')).slice(-30);
    throw new Error(`${String(error)}; the log ends:\n${log.join('\n')}`);
  }
}

export function kill9(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already dead
  }
}

/** SIGKILLs the primary and every child in one synchronous sweep, then waits until all are gone. */
export async function killEverything(server: RunningServer): Promise<void> {
  const primary = server.process.pid!;
  const { learner, server: servers } = children(primary);
  const all = [primary, ...learner, ...servers];
  for (const pid of all) kill9(pid);
  await eventually(async () => (all.every((p) => !alive(p)) ? true : undefined), 10_000, 'every eddy process to die');
  await server.waitForExit();
}

/** Whether strace can be used to inject faults (installed, and ptrace allowed). */
export const HAS_STRACE = spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;

/**
 * Kills `pid` with SIGKILL as it enters its `nth` write to `file` from now (strace's syscall
 * fault injection). SQLite writes a WAL frame as two pwrite64 calls (header, page) and only
 * commits with the last frame, so for a WAL this is an exact moment inside a commit. Resolves
 * true once the process is dead, false if strace could not do it (the process lives on).
 */
export async function killAtWrite(pid: number, file: string, nth: number, timeoutMs = 15_000): Promise<boolean> {
  const args = ['-qq', '-f', '-p', String(pid), '-P', file, '-e', 'trace=pwrite64', '-e', `inject=pwrite64:signal=SIGKILL:when=${nth}`];
  const tracer = spawn('strace', args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => {
    tracer.once('exit', () => resolve());
    tracer.once('error', () => resolve());
  });
  const deadline = Date.now() + timeoutMs;
  while (alive(pid) && tracer.exitCode === null && Date.now() < deadline) await sleep(5);
  if (tracer.exitCode === null) tracer.kill('SIGKILL');
  await exited;
  return !alive(pid);
}

/**
 * Reads a WAL file's frames (those of its current generation, by salt) and tells whether the last
 * one ends a transaction. A writer killed between its first frame and its commit frame leaves a
 * tail that is not committed: SQLite ignores it on recovery.
 * See https://www.sqlite.org/fileformat2.html#walformat
 */
export function walTail(path: string): { frames: number; torn: boolean } {
  let wal: Buffer;
  try {
    wal = readFileSync(path);
  } catch {
    return { frames: 0, torn: false };
  }
  if (wal.length < 32) return { frames: 0, torn: false };
  const pageSize = wal.readUInt32BE(8);
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  let frames = 0;
  let lastCommit = true;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    if (wal.readUInt32BE(at + 8) !== salt1 || wal.readUInt32BE(at + 12) !== salt2) break;
    frames++;
    lastCommit = wal.readUInt32BE(at + 4) !== 0;
  }
  return { frames, torn: !lastCommit };
}

/** Stops the server (if running) and removes its temporary database folder. */
export async function stopAndRemove(server: RunningServer | undefined): Promise<void> {
  if (server === undefined) return;
  await server.stop();
  rmSync(dirname(server.db), { recursive: true, force: true });
}

// ---- streaming clients ----

export const MODEL = 'crash';
export const LOGREG = { steps: [{ type: 'StandardScaler' }, { type: 'LogisticRegression', optimizer: { type: 'SGD', lr: 0.05 } }] };

const LEARN = `mutation($model: String!, $features: JSON, $label: JSON!, $key: String) {
  learn(model: $model, features: $features, label: $label, key: $key) { eventId duplicate }
}`;
const LEARN_MANY = `mutation($model: String!, $examples: [ExampleInput!]!) {
  learnMany(model: $model, examples: $examples) { eventIds duplicates }
}`;

interface Example {
  uid: number;
  key: string | null;
}

interface Request {
  examples: Example[];
  many: boolean;
}

/** How examples look: features carry `uid`, which identifies the example in the log. */
export type FeatureMaker = (uid: number) => Record<string, number>;

export function smallFeatures(uid: number): Record<string, number> {
  return { uid, x: Math.sin(uid), y: Math.cos(uid * 0.7), z: (uid % 7) - 3 };
}

export function labelOf(uid: number): boolean {
  return Math.sin(uid) + 0.3 * Math.cos(uid * 0.7) > 0;
}

/**
 * What the clients sent and what came back. An example is acknowledged when its request got a
 * 200 with data; an unacknowledged keyed request is retried with the same keys until it is; an
 * unacknowledged unkeyed one is never retried, so it is in the log at most once either way.
 */
export class Ledger {
  /** uid → the eventId it was acknowledged with. */
  readonly acked = new Map<number, number>();
  /** Keyed requests not acknowledged yet: retried later with the same keys. */
  readonly pending: Request[] = [];
  nextUid = 1;
  failed = 0;
  unkeyedLost = 0;
  keyedRetries = 0;
  deliberateDuplicates = 0;
  requests = 0;
  /** Failed requests by cause (ECONNREFUSED: never sent; ECONNRESET, UND_ERR_SOCKET: cut off). */
  readonly failures = new Map<string, number>();
  /** Acknowledgements that contradict each other (checked by checkLog). */
  readonly problems: string[] = [];
  /** How the requests in flight at `markInFlight()` ended. */
  readonly marked = { ok: 0, failed: 0 };
  private readonly inFlight = new Set<{ marked: boolean; at: number }>();
  private streaming = false;

  constructor(readonly features: FeatureMaker = smallFeatures) {}

  get ackCount(): number {
    return this.acked.size;
  }

  /** Waits until `n` examples are acknowledged; fails at once if the stream ended short of that. */
  async waitForAcks(n: number, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.acked.size < n) {
      if (!this.streaming) throw new Error(`the stream ended at ${this.acked.size} acknowledged examples, short of ${n}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} acknowledged examples (${this.acked.size})`);
      await sleep(20);
    }
  }

  /**
   * Marks the requests in flight now that were sent at least `minAgeMs` ago (so surely on the
   * wire, not still in the client): `marked` counts how each of them ends. Returns how many.
   */
  markInFlight(minAgeMs = 5): number {
    let n = 0;
    for (const r of this.inFlight) {
      if (performance.now() - r.at < minAgeMs) continue;
      r.marked = true;
      n++;
    }
    return n;
  }

  /** One request; true when acknowledged (and recorded). */
  async send(url: string, request: Request): Promise<boolean> {
    this.requests++;
    const flight = { marked: false, at: performance.now() };
    this.inFlight.add(flight);
    const ok = await this.post(url, request);
    this.inFlight.delete(flight);
    if (flight.marked) this.marked[ok ? 'ok' : 'failed']++;
    return ok;
  }

  private async post(url: string, request: Request): Promise<boolean> {
    const examples = request.examples.map((e) => ({ features: this.features(e.uid), label: labelOf(e.uid), key: e.key }));
    const body = request.many
      ? { query: LEARN_MANY, variables: { model: MODEL, examples } }
      : { query: LEARN, variables: { model: MODEL, ...examples[0] } };
    let ids: number[];
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(20_000),
      });
      const json = (await response.json()) as { data?: any; errors?: unknown[] };
      if (!response.ok || json.errors || !json.data) throw new Error(`not acknowledged: ${JSON.stringify(json.errors)}`);
      ids = request.many ? json.data.learnMany.eventIds : [json.data.learn.eventId];
    } catch (error) {
      this.failed++;
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      this.failures.set(cause, (this.failures.get(cause) ?? 0) + 1);
      return false;
    }
    if (ids.length !== request.examples.length) this.problems.push(`${request.examples.length} examples, ${ids.length} event ids`);
    request.examples.forEach((e, i) => {
      const earlier = this.acked.get(e.uid);
      // A retried key must be acknowledged with the event it got the first time.
      if (earlier !== undefined && earlier !== ids[i]) this.problems.push(`uid ${e.uid} acknowledged as ${earlier} and as ${ids[i]}`);
      this.acked.set(e.uid, ids[i]);
    });
    return true;
  }

  /**
   * The next request of the mix: single learns (a third keyed) and learnMany batches of 8 (half
   * keyed); with `batch`, only learnMany batches of that size.
   */
  next(batch?: number): Request {
    const uid = this.nextUid;
    if (uid % 10 === 7 || batch !== undefined) {
      const size = batch ?? 8;
      const keyed = batch === undefined ? uid % 20 === 7 : Math.floor(uid / size) % 2 === 0;
      const examples = Array.from({ length: size }, (_, i) => ({ uid: uid + i, key: keyed ? `k${uid + i}` : null }));
      this.nextUid += size;
      return { examples, many: true };
    }
    this.nextUid++;
    return { examples: [{ uid, key: uid % 3 === 0 ? `k${uid}` : null }], many: false };
  }

  /**
   * Streams from `clients` concurrent clients until `until()` is true or `total` examples were
   * sent (a bound, so that a test that never says stop still ends). Keyed requests that fail are
   * kept in `pending`; every 25th keyed learn that succeeds is sent again at once, to check that
   * the retry is acknowledged with the same event.
   */
  async stream(url: () => string, o: { clients: number; total: number; until?: () => boolean; batch?: number }): Promise<void> {
    const limit = this.nextUid + o.total;
    const client = async () => {
      while (this.nextUid < limit && !(o.until?.() ?? false)) {
        const request = this.next(o.batch);
        const keyed = request.examples[0].key !== null;
        const ok = await this.send(url(), request);
        if (!ok && keyed) this.pending.push(request);
        else if (!ok) this.unkeyedLost++;
        else if (keyed && !request.many && request.examples[0].uid % 25 === 0) {
          this.deliberateDuplicates++;
          if (!(await this.send(url(), request))) this.pending.push(request);
        }
        if (!ok) await sleep(20);
      }
    };
    this.streaming = true;
    try {
      await Promise.all(Array.from({ length: o.clients }, client));
    } finally {
      this.streaming = false;
    }
  }

  /** Retries every pending keyed request (same keys, 8 at a time) until each is acknowledged. */
  async retryPending(url: () => string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const client = async () => {
      for (let request = this.pending.pop(); request !== undefined; request = this.pending.pop()) {
        this.keyedRetries++;
        if (await this.send(url(), request)) continue;
        this.pending.push(request);
        if (Date.now() > deadline) throw new Error(`${this.pending.length} keyed requests never acknowledged`);
        await sleep(100);
      }
    };
    await Promise.all(Array.from({ length: 8 }, client));
  }

  summary(): string {
    return `acked ${this.acked.size} examples in ${this.requests} requests; ${this.failed} failed (${this.unkeyedLost} unkeyed lost, ${this.keyedRetries} keyed retries), ${this.deliberateDuplicates} deliberate duplicates; failures by cause ${JSON.stringify(Object.fromEntries(this.failures))}`;
  }
}

// ---- verification ----

interface VersionRow {
  number: number;
  parent: number | null;
  reason: string;
  samples_learned: number;
  last_event_id: number;
  state: string;
  sha256: string;
}

export function openDb(path: string): Database.Database {
  return new Database(path, { readonly: true, fileMustExist: true });
}

function modelRow(db: Database.Database, name: string) {
  const row = db.prepare('SELECT id, spec, metrics FROM models WHERE name = ?').get(name) as
    | { id: number; spec: string; metrics: string }
    | undefined;
  if (row === undefined) throw new Error(`no model ${name} in the database`);
  return row;
}

/**
 * Every acknowledged example is in the log exactly once, under the event id it was acknowledged
 * with; no example (acknowledged or not) is in the log twice. Returns the number of learn events.
 */
export function checkLog(path: string, ledger: Ledger): number {
  const db = openDb(path);
  try {
    const { id } = modelRow(db, MODEL);
    expect(ledger.problems, 'contradictory acknowledgements').toEqual([]);
    const events = learnEventsIn(db, id);
    const byUid = new Map<number, number[]>();
    for (const e of events) {
      const uid = e.features.uid as number;
      byUid.set(uid, [...(byUid.get(uid) ?? []), e.id]);
    }
    const twice = [...byUid].filter(([, ids]) => ids.length > 1);
    expect(twice, 'examples in the log more than once').toEqual([]);
    const missing: Array<[number, number, number[] | undefined]> = [];
    for (const [uid, eventId] of ledger.acked) {
      const ids = byUid.get(uid);
      if (ids?.length !== 1 || ids[0] !== eventId) missing.push([uid, eventId, ids]);
    }
    expect(missing, 'acknowledged examples missing from the log (uid, acked id, ids in log)').toEqual([]);
    // Whatever else is in the log was sent and never acknowledged (its ack was lost to a kill).
    expect(events.length - ledger.acked.size).toBeGreaterThanOrEqual(0);
    expect(events.length - ledger.acked.size).toBeLessThanOrEqual(ledger.failed * 20);
    return events.length;
  } finally {
    db.close();
  }
}

/** The sha256 and sample count of the model's state folded from scratch over all its learn events. */
export function cleanReplay(path: string): { sha256: string; samplesLearned: number; lastEventId: number } {
  const db = openDb(path);
  try {
    const model = modelRow(db, MODEL);
    const state = createState(JSON.parse(model.spec), JSON.parse(model.metrics) as string[]);
    let lastEventId = 0;
    for (const event of learnEventsIn(db, model.id)) {
      applyLearn(state, event);
      lastEventId = event.id;
    }
    return { sha256: serializeState(state).sha256, samplesLearned: state.samplesLearned, lastEventId };
  } finally {
    db.close();
  }
}

/**
 * The version chain is unbroken (each version's parent is the one before), each stored state
 * matches its sha256, and each version counts exactly the learn events up to its last event:
 * nothing applied twice or skipped across crashes. Returns the versions, oldest first.
 */
export function checkVersions(path: string): VersionRow[] {
  const db = openDb(path);
  try {
    const { id } = modelRow(db, MODEL);
    const versions = db.prepare('SELECT * FROM model_versions WHERE model_id = ? ORDER BY number').all(id) as VersionRow[];
    const events = learnEventsIn(db, id);
    const countUpTo = (lastEventId: number) => events.filter((e) => e.id <= lastEventId).length;
    const problems: string[] = [];
    versions.forEach((v, i) => {
      if (v.number !== i + 1) problems.push(`version ${v.number} at position ${i + 1}`);
      if (v.parent !== (i === 0 ? null : i)) problems.push(`version ${v.number} has parent ${v.parent}`);
      if (sha256(v.state) !== v.sha256) problems.push(`version ${v.number}: state does not match its sha256`);
      const n = countUpTo(v.last_event_id);
      if (n !== v.samples_learned) problems.push(`version ${v.number}: ${v.samples_learned} samples but ${n} learn events up to ${v.last_event_id}`);
      if (i > 0 && v.last_event_id < versions[i - 1].last_event_id) problems.push(`version ${v.number} goes back in the log`);
    });
    expect(problems).toEqual([]);
    return versions;
  } finally {
    db.close();
  }
}

/** Audits every version through the API, many per request; all must be ok. */
export async function auditAll(server: RunningServer, count: number): Promise<void> {
  const failed: unknown[] = [];
  for (let from = 1; from <= count; from += 40) {
    const fields = [];
    for (let v = from; v < Math.min(from + 40, count + 1); v++) {
      fields.push(`v${v}: audit(model: "${MODEL}", version: ${v}) { ok version eventsReplayed detail }`);
    }
    const data = await server.data<Record<string, { ok: boolean }>>(`mutation { ${fields.join(' ')} }`);
    failed.push(...Object.values(data).filter((a) => !a.ok));
  }
  expect(failed, 'versions whose audit failed').toEqual([]);
}

/** Waits until the learner has applied every event in the log; returns samplesLearned. */
export async function drained(server: RunningServer, learnEventsInLog: number): Promise<number> {
  return eventually(
    async () => {
      const d = await server.data<{ model: { samplesLearned: number; lag: number } }>(
        `{ model(name: "${MODEL}") { samplesLearned lag } }`,
      );
      return d.model.lag === 0 && d.model.samplesLearned >= learnEventsInLog ? d.model.samplesLearned : undefined;
    },
    30_000,
    'the learner to apply the whole log',
  );
}

/**
 * The whole check after a fault, on a running server: the log holds every acknowledged example
 * exactly once, samplesLearned counts each learn event once, a checkpoint's state equals a clean
 * replay from scratch, the version chain is consistent, and every version audits ok.
 */
export async function verifyAll(server: RunningServer, ledger: Ledger): Promise<{ events: number; versions: number }> {
  const inLog = checkLog(server.db, ledger);
  expect(await drained(server, inLog)).toBe(inLog);
  const checkpoint = await server.data<{ checkpoint: { number: number; sha256: string; samplesLearned: number } }>(
    `mutation { checkpoint(model: "${MODEL}") { number sha256 samplesLearned } }`,
  );
  const replay = cleanReplay(server.db);
  expect(replay.samplesLearned).toBe(inLog);
  expect(checkpoint.checkpoint.samplesLearned).toBe(inLog);
  expect(checkpoint.checkpoint.sha256).toBe(replay.sha256);
  const versions = checkVersions(server.db);
  expect(versions.at(-1)!.sha256).toBe(replay.sha256);
  await auditAll(server, versions.length);
  return { events: inLog, versions: versions.length };
}

export async function createModel(server: RunningServer, spec: unknown = LOGREG): Promise<void> {
  await server.data('mutation($spec: JSON!) { createModel(name: "crash", spec: $spec) { name } }', { spec });
}
