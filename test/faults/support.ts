/**
 * Fault-test helpers: clients that stream labels at a real `eddy serve` and remember exactly what
 * was acknowledged and which error codes came back, and the checks that end every fault test
 * (each acknowledged event in the log exactly once, the learner caught up, versions equal to a
 * clean replay and audited).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { applyLearn, createState, serializeState } from '../../src/learner/model-state.js';
import { type LearnEvent, learnEventsIn } from '../support/log.js';
import { type RunningServer, eventually, sleep } from '../support/server.js';

export const LOGREG = { steps: [{ type: 'StandardScaler' }, { type: 'LogisticRegression', optimizer: { type: 'SGD', lr: 0.05 } }] };

export const CREATE = `mutation($name: String!, $spec: JSON!) { createModel(name: $name, spec: $spec) { name version } }`;
const LEARN = `mutation($model: String!, $features: JSON, $label: JSON!, $wait: Boolean) {
  learn(model: $model, features: $features, label: $label, wait: $wait) { eventId }
}`;
export const PREDICT = `query($model: String!, $features: JSON!, $version: Int) {
  predict(model: $model, features: $features, version: $version) { version label }
}`;

export function features(uid: number): Record<string, number> {
  return { uid, x: Math.sin(uid), y: Math.cos(uid * 0.7), z: (uid % 7) - 3 };
}

export function label(uid: number): boolean {
  return Math.sin(uid) + 0.3 * Math.cos(uid * 0.7) > 0;
}

/** The GraphQL error code of a response, if any. */
export function code(r: { errors?: Array<{ extensions?: { code?: string } }> }): string | undefined {
  return r.errors?.[0]?.extensions?.code;
}

/** One learn with `wait`, which must be acknowledged. */
export async function learnOne(server: RunningServer, model: string, uid: number, wait = false): Promise<number> {
  const d = await server.data<{ learn: { eventId: number } }>(LEARN, { model, features: features(uid), label: label(uid), wait });
  return d.learn.eventId;
}

/**
 * Concurrent clients sending single learns, each example once (never retried, so it is in the log
 * at most once). Records every acknowledgement (uid → eventId), every error code, and anything
 * that was not an answer with a code (a dropped connection, a 5xx without one).
 */
export class LearnStream {
  readonly acked = new Map<number, number>();
  readonly codes = new Map<string, number>();
  readonly uncoded: string[] = [];
  /** Shared by every stream of a test file, so that no two examples have the same uid. */
  private static nextUid = 1_000_000;
  private running = false;
  private clients: Promise<void>[] = [];

  constructor(
    private readonly url: string,
    private readonly model: string,
  ) {}

  start(clients = 4): void {
    this.running = true;
    this.clients = Array.from({ length: clients }, () => this.client());
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.clients);
  }

  count(code: string): number {
    return this.codes.get(code) ?? 0;
  }

  /** Waits until `check()` holds while streaming (fails if it does not within the time). */
  async until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    await eventually(async () => (check() ? true : undefined), timeoutMs, what);
  }

  private async client(): Promise<void> {
    while (this.running) {
      const uid = LearnStream.nextUid++;
      try {
        const response = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ query: LEARN, variables: { model: this.model, features: features(uid), label: label(uid) } }),
          signal: AbortSignal.timeout(15_000),
        });
        const json = (await response.json()) as { data?: { learn?: { eventId: number } }; errors?: Array<{ extensions?: { code?: string } }> };
        if (json.data?.learn) {
          this.acked.set(uid, json.data.learn.eventId);
          continue;
        }
        const c = code(json);
        if (c === undefined) this.uncoded.push(`${response.status} ${JSON.stringify(json).slice(0, 200)}`);
        else this.codes.set(c, (this.codes.get(c) ?? 0) + 1);
      } catch (error) {
        this.uncoded.push(String(error));
      }
      await sleep(20);
    }
  }
}

const dirs: string[] = [];

/** A database path in a temporary folder of this suite's own; `removeTempDirs` removes them all. */
export function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-faults-'));
  dirs.push(dir);
  return join(dir, 'eddy.db');
}

/** Removes the folders made by `tempDb` (afterAll, once every server on them has stopped). */
export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

function learnEvents(db: Database.Database, model: string): { modelId: number; spec: unknown; metrics: string[]; events: LearnEvent[] } {
  const row = db.prepare('SELECT id, spec, metrics FROM models WHERE name = ?').get(model) as { id: number; spec: string; metrics: string };
  return { modelId: row.id, spec: JSON.parse(row.spec), metrics: JSON.parse(row.metrics), events: learnEventsIn(db, row.id) };
}

/** Every acknowledged example is in the log exactly once, under the id it was acknowledged with. Returns the learn events in the log. */
export function checkAcknowledged(path: string, model: string, acked: ReadonlyMap<number, number>): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const { events } = learnEvents(db, model);
    const byUid = new Map<number, number[]>();
    for (const e of events) byUid.set(e.features.uid as number, [...(byUid.get(e.features.uid as number) ?? []), e.id]);
    expect([...byUid].filter(([, ids]) => ids.length > 1), 'examples in the log twice').toEqual([]);
    const missing = [...acked].filter(([uid, id]) => byUid.get(uid)?.[0] !== id);
    expect(missing, 'acknowledged examples missing from the log (uid, acknowledged id)').toEqual([]);
    return events.length;
  } finally {
    db.close();
  }
}

/** The sha256 of the model's state folded from scratch over its learn events up to `lastEventId`, and how many. */
export function cleanReplay(path: string, model: string, lastEventId: number): { sha256: string; samplesLearned: number } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const { spec, metrics, events } = learnEvents(db, model);
    const state = createState(spec, metrics);
    for (const e of events) if (e.id <= lastEventId) applyLearn(state, e);
    return { sha256: serializeState(state).sha256, samplesLearned: state.samplesLearned };
  } finally {
    db.close();
  }
}

export interface VersionView {
  number: number;
  parent: number | null;
  sha256: string;
  lastEventId: number;
  samplesLearned: number;
}

/** Every version of a model, oldest first, as the API lists them (in pages: the query cost limit). */
export async function versions(server: RunningServer, model: string): Promise<VersionView[]> {
  const all: VersionView[] = [];
  let before: number | null = null;
  for (;;) {
    const d: { model: { versions: VersionView[] } } = await server.data(
      `query($m: String!, $before: Int) { model(name: $m) { versions(first: 100, before: $before) { number parent sha256 lastEventId samplesLearned } } }`,
      { m: model, before },
    );
    all.push(...d.model.versions);
    if (d.model.versions.length < 100) return all.reverse();
    before = d.model.versions[d.model.versions.length - 1].number;
  }
}

export interface AuditView {
  ok: boolean;
  version: number;
  expectedSha256: string;
  replayedSha256: string;
  detail: string | null;
}

/** Audits the given versions through the API, many per request. */
export async function audit(server: RunningServer, model: string, numbers: readonly number[]): Promise<AuditView[]> {
  const results: AuditView[] = [];
  for (let i = 0; i < numbers.length; i += 10) {
    const fields = numbers
      .slice(i, i + 10)
      .map((n) => `v${n}: audit(model: ${JSON.stringify(model)}, version: ${n}) { ok version expectedSha256 replayedSha256 detail }`);
    const d = await server.data<Record<string, AuditView>>(`mutation { ${fields.join(' ')} }`);
    results.push(...Object.values(d));
  }
  return results;
}

/**
 * After a fault has cleared: the learner applies the whole log by itself (lag 0, samplesLearned =
 * learn events), a version covering the last acknowledged event appears without being asked for,
 * its state equals a clean replay, and every version audits ok.
 */
export async function verifyRecovered(server: RunningServer, model: string, acked: ReadonlyMap<number, number>): Promise<void> {
  const inLog = checkAcknowledged(server.db, model, acked);
  await eventually(
    async () => {
      const d = await server.data<{ model: { samplesLearned: number; lag: number } }>(`query($m: String!) { model(name: $m) { samplesLearned lag } }`, {
        m: model,
      });
      return d.model.lag === 0 && d.model.samplesLearned === inLog ? true : undefined;
    },
    30_000,
    'the learner to apply the whole log',
  );
  const lastAcked = Math.max(...acked.values());
  const newest = await eventually(
    async () => {
      const all = await versions(server, model);
      const last = all[all.length - 1];
      return last.lastEventId >= lastAcked ? last : undefined;
    },
    30_000,
    'a version covering the last acknowledged event',
  );
  const replay = cleanReplay(server.db, model, newest.lastEventId);
  expect(newest.sha256).toBe(replay.sha256);
  expect(newest.samplesLearned).toBe(replay.samplesLearned);
  const all = await versions(server, model);
  const failed = (await audit(server, model, all.map((v) => v.number))).filter((a) => !a.ok);
  expect(failed, 'versions whose audit failed').toEqual([]);
}

/** Log lines of a running server at `level` or above (pino: 40 warn, 50 error). */
export function logLines(server: RunningServer, level = 0): Array<Record<string, any>> {
  const lines: Array<Record<string, any>> = [];
  for (const line of server.output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as Record<string, any>;
      if ((entry.level ?? 0) >= level) lines.push(entry);
    } catch {
      // not a log line
    }
  }
  return lines;
}

/** The live learner process of a running `eddy serve` (cluster workers carry EDDY_ROLE in their environment). */
export function learnerPid(server: RunningServer): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) !== server.process.pid || state === 'Z') continue;
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes('EDDY_ROLE=learner')) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/** A check that the learner has logged a warning or error whose error matches `pattern`. */
export function learnerSaw(server: RunningServer, pattern: RegExp): () => boolean {
  return () => logLines(server, 40).some((l) => l.role === 'learner' && pattern.test(JSON.stringify(l.err ?? '')));
}

/** The primary's "… exited; restarting" lines: processes that died. */
export function exits(server: RunningServer): Array<Record<string, any>> {
  return logLines(server, 40).filter((l) => l.role === 'primary' && /exited/.test(String(l.msg)));
}
