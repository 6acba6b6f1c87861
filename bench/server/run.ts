/**
 * The server benchmark (issue 3): bare node:http and bare graphql-yoga ceilings, then a real
 * `eddy serve` — predict, predictMany, learn, learnMany, freshness — on this machine, same worker
 * count, same run. See bench/README.md. Flags: --quick, --duration S, --workers N,
 * --checkpoint-interval MS, --fresh-samples N, --warmup S (learn's unmeasured warm-up), --only a,b (bare,yoga,predict,predictMany,learn,learnMany,freshness,learn-normal),
 * --profile DIR (CPU profiles of every server process).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RequestSpec } from 'autocannon';
import Database from 'better-sqlite3';
import { phishing, type Row } from '../../test/support/datasets.js';
import { freePort, sleep } from '../../test/support/server.js';
import { EddyServer } from './eddy-server.js';
import { flag, load1, machine, option, table } from '../machine.js';
import { CpuMeter, withCpu } from './cpu-meter.js';
import { combine, type Load, load, quantile } from './load.js';

const quick = flag('quick');
const duration = Number(option('duration') ?? (quick ? 1 : 5));
const workers = Number(option('workers') ?? 2);
const checkpointInterval = Number(option('checkpoint-interval') ?? 1000);
const freshSamples = Number(option('fresh-samples') ?? (quick ? 10 : 50));
const warmup = Number(option('warmup') ?? (quick ? 1 : 5));
const only = option('only')?.split(',');
const profileDir = option('profile');
/** With --profile DIR, every server process (cluster workers inherit it) writes a CPU profile there on exit. */
const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
const concurrencies = [1, 16, 64];
const HERE = fileURLToPath(new URL('.', import.meta.url));

const wants = (part: string) => only === undefined || only.includes(part);
const data = phishing();
const rows: Row[] = data.map(([x]) => x);

interface Line {
  what: string;
  concurrency: string;
  rate: number;
  unit: string;
  p50?: number;
  p99?: number;
  /** Compared with the bare node:http rate at the same concurrency. */
  vsBare?: number;
  goal?: string;
  pass?: boolean;
  note?: string;
}
const lines: Line[] = [];
const children: ChildProcess[] = [];
let eddy: EddyServer | undefined;

// ---------------------------------------------------------------------------------------------
// processes

async function startBare(file: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', `${HERE}${file}`, String(port), String(workers)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start:\n${output}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => reject(new Error(`${file} exited (${code}):\n${output}`)));
  });
  return { url: `http://127.0.0.1:${port}/graphql`, child };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function cleanup(): Promise<void> {
  await Promise.all(children.map(stopChild));
  if (eddy) await eddy.stop();
  await Promise.all(others.map((o) => o.stop()));
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanup().then(() => process.exit(130)));
}

function gqlBody(query: string, variables: Record<string, unknown>): string {
  return JSON.stringify({ query, variables });
}

const PREDICT = 'query ($model: String!, $f: JSON!) { predict(model: $model, features: $f) { id version label probabilities } }';
const PREDICT_MANY = 'query ($model: String!, $f: [JSON!]!) { predictMany(model: $model, features: $f) { version label probabilities } }';
const LEARN = 'mutation ($model: String!, $f: JSON, $y: JSON!) { learn(model: $model, features: $f, label: $y) { eventId version } }';
const LEARN_MANY = 'mutation ($model: String!, $e: [ExampleInput!]!) { learnMany(model: $model, examples: $e) { eventIds } }';
const MODEL = 'query ($name: String!) { model(name: $name) { samplesLearned lag version } }';
const LOGREG = { steps: [{ type: 'StandardScaler' }, { type: 'LogisticRegression' }] };

/** A StandardScaler | LogisticRegression model named `name`, untrained. */
async function createModel(server: EddyServer, name: string): Promise<void> {
  await server.data('mutation ($n: String!, $s: JSON!) { createModel(name: $n, spec: $s) { name } }', { n: name, s: LOGREG });
}

function batch(start: number, size: number): Array<[Row, unknown]> {
  return Array.from({ length: size }, (_, i) => data[(start + i) % data.length]);
}

/** Learn events of a model in the log, read from the database file itself (not through the server). */
function committed(db: string, model: string): number {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const row = conn
      .prepare("SELECT coalesce(sum(e.count), 0) AS n FROM events e JOIN models m ON m.id = e.model_id WHERE m.name = ? AND e.kind IN ('learn', 'batch')")
      .get(model) as { n: number };
    return row.n;
  } finally {
    conn.close();
  }
}

interface Settled {
  /** Acknowledged to the client. */
  acked: number;
  /** In the log (≥ acked: requests in flight when the load generator stopped may commit too). */
  committed: number;
  /** Applied by the learner (samplesLearned). */
  applied: number;
  /** Acknowledged event ids the learner has not covered (must be 0). */
  unappliedAcks: number;
  /** When everything committed was applied, or undefined if that did not happen in time. */
  settledAt?: number;
}

/**
 * Waits until the learner has applied every event in the model's log, then checks that each
 * acknowledged event id is covered by a version the learner writes on demand.
 */
async function settle(server: EddyServer, model: string, ackedIds: number[], acked = ackedIds.length, timeoutMs = 120_000): Promise<Settled> {
  const deadline = Date.now() + timeoutMs;
  let inLog = 0;
  let applied = 0;
  let settledAt: number | undefined;
  while (Date.now() < deadline) {
    inLog = committed(server.db, model);
    applied = (await server.data<{ model: { samplesLearned: number } }>(MODEL, { name: model })).model.samplesLearned;
    if (applied === inLog && applied >= acked) {
      settledAt = Date.now();
      break;
    }
    await sleep(20);
  }
  const version = (
    await server.data<{ checkpoint: { lastEventId: number } }>('mutation ($m: String!) { checkpoint(model: $m) { lastEventId } }', { m: model })
  ).checkpoint;
  const unappliedAcks = ackedIds.filter((id) => id > version.lastEventId).length + Math.max(0, acked - applied);
  return { acked, committed: inLog, applied, unappliedAcks, settledAt };
}

function accounting(s: Settled): string {
  const inFlight = s.committed - s.acked;
  return (
    `${s.acked} acked, ${s.committed} in log${inFlight > 0 ? ` (${inFlight} in flight at stop)` : ''}, ${s.applied} applied` +
    (s.unappliedAcks > 0 ? ` — ${s.unappliedAcks} ACKED NOT APPLIED` : '') +
    (s.settledAt === undefined ? ' (learner did not catch up in time)' : '')
  );
}

// ---------------------------------------------------------------------------------------------
// the points

const bareRate = new Map<number, number>();

interface Target {
  what: string;
  url: string;
  requests: RequestSpec[];
  goal?: string;
  minRatio?: number;
}

/**
 * Bare node:http, bare yoga and eddy predict at each concurrency, interleaved in rounds (bare,
 * yoga, eddy, bare, yoga, eddy, …) so that the ratios hold on a machine others are using too.
 */
async function ladder(targets: Target[]): Promise<void> {
  const rounds = Math.max(1, Math.min(duration, quick ? 1 : 5));
  for (const c of concurrencies) {
    const acc = targets.map(() => ({ ok: 0, seconds: 0, failed: 0, times: [] as number[] }));
    for (let round = 0; round < rounds; round++) {
      for (const [i, t] of targets.entries()) {
        const r = await load(t.url, c, t.requests, duration / rounds);
        acc[i].ok += r.ok;
        acc[i].seconds += r.seconds;
        acc[i].failed += r.failed;
        acc[i].times.push(...r.times);
      }
    }
    for (const [i, t] of targets.entries()) {
      const a = acc[i];
      a.times.sort((x, y) => x - y);
      const rate = a.ok / a.seconds;
      if (i === 0 && t.what.startsWith('bare node:http')) bareRate.set(c, rate);
      const ratio = vs(rate, c);
      lines.push({
        what: t.what,
        concurrency: String(c),
        rate,
        unit: 'req/s',
        p50: quantile(a.times, 0.5),
        p99: quantile(a.times, 0.99),
        vsBare: ratio,
        goal: t.goal,
        pass: t.minRatio === undefined || ratio === undefined ? undefined : ratio >= t.minRatio,
        note: failures(a.failed),
      });
    }
  }
  laddered = rounds;
}
let laddered = 0;

async function predictMany(server: EddyServer): Promise<void> {
  for (const size of [100, 1000]) {
    const requests = [0, 1, 2, 3].map((k) => ({ body: gqlBody(PREDICT_MANY, { model: 'bench', f: batch(k * 250, size).map(([x]) => x) }) }));
    const { value: r, cpu } = await withCpu(server, 'prediction', () => load(server.url, 16, requests, duration), (x) => x.ok * size);
    cpuNotes.push(`predictMany batch ${size} — ${cpu}`);
    const rate = r.rate * size;
    lines.push({
      what: `eddy predictMany (batch ${size})`,
      concurrency: '16',
      rate,
      unit: 'pred/s',
      ...lat(r),
      goal: '≥ 100k pred/s',
      pass: rate >= 100_000,
      note: failures(r.failed),
    });
  }
}

/**
 * Learn goes through code nothing before it ran (the append path, IPC to the writer): load it
 * for a few seconds first, on a model of its own, and let the learner catch up. Measured cold,
 * V8's optimizing compiler took a fifth of the server processes' CPU in the first seconds.
 */
async function warmLearn(server: EddyServer): Promise<void> {
  if (warmup <= 0) return;
  const model = 'learn-warm-up';
  await createModel(server, model);
  const requests = learnRequests(model);
  const ids: number[] = [];
  await load(server.url, 64, requests, warmup, eventIdsInto(ids));
  const settled = await settle(server, model, ids);
  lostTotal += settled.unappliedAcks + (settled.committed - settled.applied);
}

/** Learn's concurrencies: a group commit's throughput grows with the learns in flight. */
const learnConcurrencies = [16, 64, 256];

/** Learn at one concurrency, and bare's rate in the same rounds. */
interface LearnPoint {
  c: number;
  rate: number;
  bare?: number;
  p50: number;
  p99: number;
}

/**
 * Learn at each concurrency, interleaved in rounds with bare node:http (when it runs) as the
 * ladder does for predict, so that the ratio compares the two at the same moment of a machine
 * whose speed drifts. Before each bare round the learner catches up, so it takes no CPU from it.
 * The goal compares ceilings: learn's best rate against bare's best, both from these rounds.
 */
async function learn(server: EddyServer, bare: Target | undefined, durable = true): Promise<void> {
  await warmLearn(server);
  // Rounds of 2.5 s (autocannon runs whole seconds of its ticker: 3 s), twice `--duration` in
  // all, so that four pairs of rounds average out the machine's drift.
  const rounds = bare === undefined ? 1 : Math.max(1, Math.round((2 * duration) / 2.5));
  const seconds = bare === undefined ? duration : (2 * duration) / rounds;
  const points: LearnPoint[] = [];
  for (const c of learnConcurrencies) {
    const model = `learn-${durable ? '' : 'normal-'}${c}`;
    await createModel(server, model);
    const requests = learnRequests(model);
    const ids: number[] = [];
    const eddyRuns: Load[] = [];
    const bareRuns: Load[] = [];
    const cpu = new CpuMeter(server);
    for (let round = 0; round < rounds; round++) {
      if (bare !== undefined) {
        await caughtUp(server, model);
        bareRuns.push(await load(bare.url, c, bare.requests, seconds));
      }
      // CPU from the start of the load: building the requests beforehand is the generator's own.
      eddyRuns.push(await load(server.url, c, requests, seconds, eventIdsInto(ids), () => cpu.start()));
      cpu.stop();
    }
    const r = combine(eddyRuns);
    cpuNotes.push(`learn${durable ? '' : ' (synchronous normal)'} c=${c} — ${cpu.perOperation('ack', r.ok)}`);
    const settled = await settle(server, model, ids);
    const bareNow = bare === undefined ? undefined : combine(bareRuns).rate;
    points.push({ c, rate: r.rate, bare: bareNow, p50: r.p50, p99: r.p99 });
    lines.push({
      what: durable ? 'eddy learn (durable ack)' : 'eddy learn, --synchronous normal',
      concurrency: String(c),
      rate: r.rate,
      unit: 'acks/s',
      ...lat(r),
      vsBare: bareNow === undefined ? vs(r.rate, c) : r.rate / bareNow,
      note: [
        bareNow === undefined ? undefined : `bare ${fmt(bareNow, 0)} req/s in the same ${rounds} round${rounds === 1 ? '' : 's'}`,
        accounting(settled),
        failures(r.failed),
      ]
        .filter(Boolean)
        .join('; '),
    });
    lostTotal += settled.unappliedAcks + (settled.committed - settled.applied);
  }
  if (bare !== undefined) lines.push(ceilings(points, durable));
}

/** Learn's best rate against the bare ceiling: bare's best rate in the same rounds, at any concurrency. */
function ceilings(points: readonly LearnPoint[], durable: boolean): Line {
  const best = points.reduce((a, b) => (b.rate > a.rate ? b : a));
  const ceiling = points.reduce((a, b) => ((b.bare ?? 0) > (a.bare ?? 0) ? b : a));
  const ratio = best.rate / (ceiling.bare ?? Number.NaN);
  return {
    what: durable ? 'eddy learn, best vs bare ceiling' : 'eddy learn normal, best vs ceiling',
    concurrency: String(best.c),
    rate: best.rate,
    unit: 'acks/s',
    p50: best.p50,
    p99: best.p99,
    vsBare: ratio,
    goal: durable ? '≥ 40% of ceiling' : undefined,
    pass: durable ? ratio >= 0.4 : undefined,
    note: `bare ceiling ${fmt(ceiling.bare, 0)} req/s (c=${ceiling.c}), the best of bare's rounds above`,
  };
}

/**
 * What the fsync per commit costs: learn again on a second eddy started with `--synchronous
 * normal` (commits reach the OS, not the disk: an ack survives a crash of eddy, not of the
 * machine), while the first one idles. For comparison only; eddy's default is `full`.
 */
async function learnWithoutFsync(bare: Target | undefined): Promise<void> {
  const server = await EddyServer.start({ workers, nodeArgs, args: ['--checkpoint-interval', String(checkpointInterval), '--synchronous', 'normal'] });
  others.push(server);
  try {
    await learn(server, bare, false);
  } finally {
    await server.stop();
  }
}
const others: EddyServer[] = [];

/** Single learns of the first 200 Phishing rows for `model`, cycled by the load generator. */
function learnRequests(model: string): RequestSpec[] {
  return data.slice(0, 200).map(([f, y]) => ({ body: gqlBody(LEARN, { model, f, y }) }));
}

/** A response handler keeping each learn's acknowledged event id. */
function eventIdsInto(ids: number[]): (body: string) => void {
  return (body) => {
    const m = /"eventId":(\d+)/.exec(body);
    if (m) ids.push(Number(m[1]));
  };
}

/** Waits until the learner has applied everything in the model's log. */
async function caughtUp(server: EddyServer, model: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const applied = (await server.data<{ model: { samplesLearned: number } }>(MODEL, { name: model })).model.samplesLearned;
    if (applied >= committed(server.db, model)) return;
    await sleep(20);
  }
}
let lostTotal = 0;
const cpuNotes: string[] = [];

async function learnMany(server: EddyServer): Promise<void> {
  const model = 'learn-many';
  const size = 1000;
  await createModel(server, model);
  const requests = [0, 1, 2, 3].map((k) => ({
    body: gqlBody(LEARN_MANY, { model, e: batch(k * 250, size).map(([features, label]) => ({ features, label })) }),
  }));
  const ids: number[] = [];
  let acked = 0;
  const started = Date.now();
  const { value: r, cpu } = await withCpu(
    server,
    'example',
    () =>
      load(server.url, 4, requests, duration, (body) => {
        if (!body.includes('"eventIds"')) return;
        const got = (JSON.parse(body) as { data: { learnMany: { eventIds: number[] } } }).data.learnMany.eventIds;
        acked += got.length;
        ids.push(Math.max(...got));
      }),
    () => acked,
  );
  cpuNotes.push(`learnMany (committed; the learner catches up after) — ${cpu}`);
  const settled = await settle(server, model, ids, acked);
  const committedRate = acked / r.seconds;
  const appliedRate = settled.settledAt ? settled.applied / ((settled.settledAt - started) / 1000) : 0;
  lines.push({
    what: 'eddy learnMany (batch 1000) committed',
    concurrency: '4',
    rate: committedRate,
    unit: 'ex/s',
    ...lat(r),
    goal: '≥ 100k ex/s',
    pass: committedRate >= 100_000,
    note: failures(r.failed),
  });
  lines.push({
    what: 'eddy learnMany (batch 1000) applied',
    concurrency: '4',
    rate: appliedRate,
    unit: 'ex/s',
    goal: '≥ 100k ex/s',
    pass: appliedRate >= 100_000,
    note: `${accounting(settled)}; applied rate = everything in the log applied ÷ time from the first request`,
  });
  lostTotal += settled.unappliedAcks + (settled.committed - settled.applied);
}

/** Time from a learn's ack to the first predict whose answer reflects it (probabilities change). */
async function freshness(server: EddyServer): Promise<void> {
  const model = 'fresh';
  await createModel(server, model);
  const probe = rows[0];
  type P = { predict: { version: number; probabilities: unknown } };
  const ask = async () => (await server.data<P>(PREDICT, { model, f: probe })).predict;
  let before = JSON.stringify((await ask()).probabilities);
  const times: number[] = [];
  let timedOut = 0;
  for (let i = 0; i < freshSamples; i++) {
    // A random phase against the learner's checkpoint clock, so both fresh and stale phases are sampled.
    await sleep(Math.random() * checkpointInterval);
    const [f, y] = data[(i * 37) % data.length];
    const ack = (await server.data<{ learn: { eventId: number; version: number } }>(LEARN, { model, f, y })).learn;
    const ackedAt = performance.now();
    const deadline = ackedAt + checkpointInterval * 5 + 10_000;
    for (;;) {
      const p = await ask();
      const now = JSON.stringify(p.probabilities);
      if (now !== before && p.version > ack.version) {
        times.push(performance.now() - ackedAt);
        before = now;
        break;
      }
      if (performance.now() > deadline) {
        timedOut++;
        before = now;
        break;
      }
    }
  }
  times.sort((a, b) => a - b);
  const p50 = quantile(times, 0.5);
  const p99 = quantile(times, 0.99);
  lines.push({
    what: `eddy freshness (learn ack → predict), ${times.length} samples`,
    concurrency: '1',
    rate: NaN,
    unit: '',
    p50,
    p99,
    goal: `p99 < ${checkpointInterval + 50} ms`,
    pass: timedOut === 0 && p99 < checkpointInterval + 50,
    note: `--checkpoint-interval ${checkpointInterval} ms; max ${fmt(times[times.length - 1] ?? NaN)} ms${timedOut ? `; ${timedOut} TIMED OUT` : ''}`,
  });
}

// ---------------------------------------------------------------------------------------------
// reporting

function lat(r: { p50: number; p99: number }) {
  return { p50: r.p50, p99: r.p99 };
}
function vs(rate: number, c: number): number | undefined {
  const b = bareRate.get(c);
  return b ? rate / b : undefined;
}
function failures(n: number): string | undefined {
  return n > 0 ? `${n} failed/errored responses` : undefined;
}
function fmt(n: number | undefined, digits = 1): string {
  if (n === undefined || Number.isNaN(n)) return '';
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(digits);
}
/** Milliseconds with three significant digits (a bare server answers in tens of microseconds). */
function ms(n: number | undefined): string {
  if (n === undefined || Number.isNaN(n)) return '';
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3);
}

function report(): void {
  const rowsOut = [
    ['measure', 'conc.', 'rate', 'unit', 'p50 ms', 'p99 ms', 'vs bare', 'goal', '', 'note'],
    ...lines.map((l) => [
      l.what,
      l.concurrency,
      fmt(l.rate, 0),
      l.unit,
      ms(l.p50),
      ms(l.p99),
      l.vsBare === undefined ? '' : `${(l.vsBare * 100).toFixed(0)}%`,
      l.goal ?? '',
      l.pass === undefined ? '' : l.pass ? 'PASS' : 'MISS',
      l.note ?? '',
    ]),
  ];
  console.log(`\n${table(rowsOut, (c) => c >= 1 && c <= 6)}`);
  if (cpuNotes.length > 0) console.log(`\nwhere the CPU went, per operation during the load:\n${cpuNotes.map((n) => `  ${n}`).join('\n')}`);
  console.log(`\nacknowledged (or committed) but not applied: ${lostTotal}${lostTotal === 0 ? ' (as it must be)' : ' — MUST BE ZERO'}`);
  console.log(`\n${machine()}`);
  console.log(
    `workers: ${workers}, ${duration} s per point${laddered > 1 ? ` (bare, yoga and predict interleaved in ${laddered} rounds)` : ''}${quick ? ' (--quick)' : ''}; load generator: autocannon in this process (shares the CPU)`,
  );
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  console.log(`eddy server benchmark — ${workers} workers, ${duration} s per point, load before start ${load1().toFixed(2)}`);
  const targets: Target[] = [];
  const predictBody = gqlBody(PREDICT, { model: 'bench', f: rows[0] });
  if (wants('bare')) {
    const { url } = await startBare('bare-http.ts');
    // The same body eddy gets, read in full before the constant answer.
    targets.push({ what: 'bare node:http (constant JSON)', url, requests: [{ body: predictBody }] });
  }
  if (wants('yoga')) {
    const { url } = await startBare('bare-yoga.ts');
    targets.push({ what: 'bare graphql-yoga ({ hello })', url, requests: [{ body: JSON.stringify({ query: '{ hello }' }) }] });
  }
  const eddyParts = ['predict', 'predictMany', 'learn', 'learnMany', 'freshness'].filter(wants);
  const bare = targets.find((t) => t.what.startsWith('bare node:http'));
  if (eddyParts.length > 0) {
    eddy = await EddyServer.start({ workers, nodeArgs, args: ['--checkpoint-interval', String(checkpointInterval)] });
    await createModel(eddy, 'bench');
    const examples = data.map(([features, label]) => ({ features, label }));
    await eddy.data('mutation ($e: [ExampleInput!]!) { learnMany(model: "bench", examples: $e, wait: true) { applied } }', { e: examples });
    await eddy.data('mutation { checkpoint(model: "bench") { number } }');
    if (wants('predict')) {
      const requests = rows.slice(0, 100).map((f) => ({ body: gqlBody(PREDICT, { model: 'bench', f }) }));
      targets.push({ what: 'eddy predict', url: eddy.url, requests, goal: '≥ 50% of bare', minRatio: 0.5 });
    }
  }
  if (targets.length > 0) await ladder(targets);
  if (eddy) {
    if (wants('predictMany')) await predictMany(eddy);
    // Bare node:http (idle meanwhile) stays up: learn is interleaved with it.
    if (wants('learn')) await learn(eddy, bare);
    if (wants('learnMany')) await learnMany(eddy);
    if (wants('freshness')) await freshness(eddy);
  }
  if (wants('learn-normal')) await learnWithoutFsync(bare);
  await Promise.all(children.map(stopChild));
  report();
}

try {
  await main();
} finally {
  await cleanup();
}
