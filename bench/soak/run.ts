/**
 * The soak (issue 4, "Load"): a real `eddy serve` under a steady mixed workload — predict, learn,
 * late labels (learn by predictionId, features omitted), and metrics subscribers over SSE and
 * WebSocket — at a fraction of the capacity measured first, for a configurable time. Every
 * `--report-every` seconds and at the end it prints requests served, p50/p99 per operation, the
 * learner's lag, subscription delivery, and the RSS of every eddy process; at the end, once the
 * learner has drained, it checks that every acknowledged learn was applied exactly once
 * (samplesLearned and the events in the log equal the distinct acknowledged event ids).
 * See bench/README.md.
 *
 * Flags: --duration 5m (or seconds: 300), --fraction 0.5 (of the measured capacity),
 * --capacity OPS (skip measuring), --capacity-seconds 10, --report-every 30 (s), --workers 2,
 * --subscribers 100 (half SSE, half WebSocket), --max-in-flight 64,
 * --mix predict:0.7,learn:0.2,late:0.1.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { phishing } from '../../test/support/datasets.js';
import { sleep } from '../../test/support/server.js';
import { every, GqlClient, type GqlResult } from '../gql-client.js';
import { Histogram, ms } from '../histogram.js';
import { load1, machine, option, table } from '../machine.js';
import { eddyProcesses, rssMiB } from '../proc.js';
import { EddyServer } from '../server/eddy-server.js';

function seconds(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (match === null) throw new Error(`not a duration: ${text} (try 300, 300s or 5m)`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[(match[2] ?? 's') as 's' | 'm' | 'h'];
}

const duration = seconds(option('duration') ?? '5m');
const fraction = Number(option('fraction') ?? 0.5);
const givenCapacity = option('capacity');
const capacitySeconds = Number(option('capacity-seconds') ?? 10);
const reportEvery = Number(option('report-every') ?? 30);
const workers = Number(option('workers') ?? 2);
const subscribers = Number(option('subscribers') ?? 100);
const maxInFlight = Number(option('max-in-flight') ?? 64);
const mix = parseMix(option('mix') ?? 'predict:0.7,learn:0.2,late:0.1');

type Op = 'predict' | 'learn' | 'late';
const OPS: Op[] = ['predict', 'learn', 'late'];
const MODEL = 'soak';
const PREDICT = 'query ($m: String!, $f: JSON!) { predict(model: $m, features: $f) { id label version } }';
const LEARN = 'mutation ($m: String!, $f: JSON!, $y: JSON!) { learn(model: $m, features: $f, label: $y) { eventId } }';
const LATE = 'mutation ($m: String!, $p: ID!, $y: JSON!) { learn(model: $m, predictionId: $p, label: $y) { eventId } }';
const METRICS = 'subscription ($m: String!) { metrics(model: $m) { samplesLearned publishedAt metrics { name value text } } }';
const CLIENT = fileURLToPath(new URL('../subscribers/client.ts', import.meta.url));
const data = phishing();

function parseMix(text: string): Record<Op, number> {
  const parts = Object.fromEntries(text.split(',').map((p) => p.split(':').map((s) => s.trim()))) as Record<string, string>;
  const weights = { predict: Number(parts.predict ?? 0), learn: Number(parts.learn ?? 0), late: Number(parts.late ?? 0) };
  const total = weights.predict + weights.learn + weights.late;
  return { predict: weights.predict / total, learn: weights.learn / total, late: weights.late / total };
}

/** What the workload has done: every acknowledged learn event id, predictions awaiting a label, counts. */
class Workload {
  readonly acked = new Set<number>();
  /** Served predictions with the label their row carries, waiting for a late label. */
  private readonly unlabelled: Array<{ id: string; label: unknown }> = [];
  private n = 0;
  inFlight = 0;
  skipped = 0;
  window = this.fresh();
  total = this.fresh();

  constructor(private readonly gql: GqlClient) {}

  fresh() {
    return {
      latency: { predict: new Histogram(), learn: new Histogram(), late: new Histogram() } as Record<Op, Histogram>,
      errors: { predict: 0, learn: 0, late: 0 } as Record<Op, number>,
      codes: new Map<string, number>(),
    };
  }

  /** Picks the next operation by the mix (a late label only when a prediction awaits one). */
  next(): Op {
    const r = (this.n * 0.6180339887498949) % 1; // evenly spread, deterministic
    if (r < mix.predict) return 'predict';
    if (r < mix.predict + mix.late && this.unlabelled.length > 0) return 'late';
    return 'learn';
  }

  /** Sends one operation and records it; resolves when answered. */
  async run(op: Op): Promise<void> {
    const i = this.n++;
    const [x, y] = data[i % data.length];
    this.inFlight++;
    let result: GqlResult<Record<string, { id?: string; eventId?: number }>> | undefined;
    let failure = 'NETWORK';
    try {
      if (op === 'predict') result = await this.gql.post(PREDICT, { m: MODEL, f: x });
      else if (op === 'learn') result = await this.gql.post(LEARN, { m: MODEL, f: x, y });
      else {
        const p = this.unlabelled.shift();
        if (p === undefined) return;
        result = await this.gql.post(LATE, { m: MODEL, p: p.id, y: p.label });
      }
    } catch (error) {
      result = undefined;
      failure = `NETWORK ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
    } finally {
      this.inFlight--;
    }
    for (const stats of [this.window, this.total]) {
      if (result === undefined || result.errors !== undefined) {
        stats.errors[op]++;
        const code = result?.errors?.[0]?.extensions?.code ?? (result === undefined ? failure : 'NONE');
        stats.codes.set(`${op} ${code}`, (stats.codes.get(`${op} ${code}`) ?? 0) + 1);
      } else stats.latency[op].record(result.ms);
    }
    if (result?.data === undefined || result.errors !== undefined) return;
    if (op === 'predict') {
      const id = result.data.predict?.id;
      // Keep a bounded backlog of predictions to label later (the oldest first).
      if (id !== undefined && this.unlabelled.length < 10_000) this.unlabelled.push({ id, label: y });
    } else {
      const eventId = result.data.learn?.eventId;
      if (eventId !== undefined) this.acked.add(eventId);
    }
  }
}

/** Closed-loop: `concurrency` clients send the mix back to back for `secs`; the rate they reach is the capacity. */
async function measureCapacity(server: EddyServer, secs: number, concurrency = 32): Promise<number> {
  const gql = new GqlClient(server.url, concurrency);
  const w = new Workload(gql);
  const deadline = performance.now() + secs * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await w.run(w.next());
        done++;
      }
    }),
  );
  gql.close();
  for (const id of w.acked) soakAcked.add(id);
  return done / secs;
}
/** Learn events acknowledged while measuring capacity count too: they are in the same model. */
const soakAcked = new Set<number>();

function learnEventsInLog(db: string): number {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return (
      conn.prepare("SELECT coalesce(sum(e.count), 0) AS n FROM events e JOIN models m ON m.id = e.model_id WHERE m.name = ? AND e.kind IN ('learn', 'batch')").get(MODEL) as { n: number }
    ).n;
  } finally {
    conn.close();
  }
}

async function modelStatus(gql: GqlClient): Promise<{ samplesLearned: number; lag: number; version: number }> {
  return (await gql.data<{ model: { samplesLearned: number; lag: number; version: number } }>('query ($m: String!) { model(name: $m) { samplesLearned lag version } }', { m: MODEL }))
    .model;
}

function rssLine(pids: ReturnType<typeof eddyProcesses>): Record<string, number> {
  const out: Record<string, number> = { [`primary ${pids.primary}`]: rssMiB(pids.primary) };
  for (const pid of pids.learner) out[`learner ${pid}`] = rssMiB(pid);
  for (const pid of pids.server) out[`server ${pid}`] = rssMiB(pid);
  return out;
}

interface Subs {
  children: ChildProcess[];
  report(): Promise<{ deliveries: number; p50: number; p99: number; max: number; closedEarly: number }>;
}

async function openSubscribers(url: string): Promise<Subs> {
  const children: ChildProcess[] = [];
  if (subscribers === 0) return { children, report: async () => ({ deliveries: 0, p50: Number.NaN, p99: Number.NaN, max: Number.NaN, closedEarly: 0 }) };
  const child = fork(CLIENT, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  const next = <T>(type: string) => new Promise<T>((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type !== type) return;
      child.off('message', on);
      resolve(m as T);
    };
    child.on('message', on);
  });
  const opened = next('opened');
  const ws = Math.round(subscribers / 2);
  child.send({ type: 'open', url, query: METRICS, variables: { m: MODEL }, sse: subscribers - ws, ws });
  await opened;
  return {
    children,
    report: async () => {
      const reported = next<{ sse: ReturnType<Histogram['toJSON']>; ws: ReturnType<Histogram['toJSON']>; closedEarly: number }>('report');
      child.send({ type: 'report' });
      const r = await reported;
      child.send({ type: 'reset' });
      const h = Histogram.fromJSON(r.sse);
      h.merge(Histogram.fromJSON(r.ws));
      return { deliveries: h.count, p50: h.quantile(0.5), p99: h.quantile(0.99), max: h.max, closedEarly: r.closedEarly };
    },
  };
}

async function main(): Promise<void> {
  console.log(machine());
  const server = await EddyServer.start({ workers, args: ['--checkpoint-interval', '1000'] });
  let subs: Subs | undefined;
  try {
    const gql = new GqlClient(server.url, maxInFlight);
    const admin = new GqlClient(server.url, 2);
    await admin.data('mutation ($m: String!) { createModel(name: $m, spec: { steps: [{ type: "StandardScaler" }, { type: "LogisticRegression" }] }) { name } }', { m: MODEL });
    const pids = eddyProcesses(server.process.pid as number, server.output);
    const rssStart = rssLine(pids);

    const capacity = givenCapacity !== undefined ? Number(givenCapacity) : await measureCapacity(server, capacitySeconds);
    const rate = Math.max(1, Math.round(capacity * fraction));
    console.log(
      `\ncapacity ${Math.round(capacity)} ops/s (${givenCapacity !== undefined ? 'given' : `closed loop, ${capacitySeconds} s, 32 clients`}); ` +
        `soak at ${Math.round(fraction * 100)}%: ${rate} ops/s for ${duration} s, mix ${OPS.map((o) => `${o} ${Math.round(mix[o] * 100)}%`).join(', ')}, ` +
        `${subscribers} metrics subscribers, ${workers} server processes, at most ${maxInFlight} requests in flight\n`,
    );
    subs = await openSubscribers(server.url);
    const w = new Workload(gql);
    const startedAt = performance.now();
    const driver = every(rate, () => {
      if (w.inFlight >= maxInFlight) {
        w.skipped++;
        return;
      }
      void w.run(w.next());
    });

    const rows: string[][] = [
      ['t s', 'served/s', 'predict p50', 'p99', 'learn p50', 'p99', 'late p50', 'p99', 'errors', 'skipped', 'lag', 'deliveries', 'sub p99', 'RSS MiB', 'load'],
    ];
    let skippedBefore = 0;
    for (let t = reportEvery; t <= duration + 1e-9; t += reportEvery) {
      await sleep(Math.max(0, startedAt + t * 1000 - performance.now()));
      const win = w.window;
      w.window = w.fresh();
      const status = await modelStatus(admin);
      const delivered = await subs.report();
      const served = OPS.reduce((n, o) => n + win.latency[o].count, 0);
      const errors = OPS.reduce((n, o) => n + win.errors[o], 0);
      rows.push([
        String(Math.round(t)),
        (served / reportEvery).toFixed(0),
        ms(win.latency.predict.quantile(0.5)),
        ms(win.latency.predict.quantile(0.99)),
        ms(win.latency.learn.quantile(0.5)),
        ms(win.latency.learn.quantile(0.99)),
        ms(win.latency.late.quantile(0.5)),
        ms(win.latency.late.quantile(0.99)),
        String(errors),
        String(w.skipped - skippedBefore),
        String(status.lag),
        String(delivered.deliveries),
        ms(delivered.p99),
        Object.values(rssLine(eddyProcesses(server.process.pid as number, server.output)))
          .map((r) => r.toFixed(0))
          .join('/'),
        load1().toFixed(1),
      ]);
      skippedBefore = w.skipped;
      if (rows.length === 2) console.log(rows[0].map((c) => ` ${c.padStart(12)}`).join(''));
      console.log((rows.at(-1) as string[]).map((c) => ` ${c.padStart(12)}`).join(''));
    }
    driver.stop();
    while (w.inFlight > 0) await sleep(10);
    const elapsed = (performance.now() - startedAt) / 1000;

    // Drained: the learner has applied every committed event.
    const drainStart = performance.now();
    let status = await modelStatus(admin);
    while (status.lag > 0 && performance.now() - drainStart < 120_000) {
      await sleep(50);
      status = await modelStatus(admin);
    }
    const drainMs = performance.now() - drainStart;
    const rssEnd = rssLine(eddyProcesses(server.process.pid as number, server.output));
    const inLog = learnEventsInLog(server.db);
    for (const id of w.acked) soakAcked.add(id);

    console.log(
      `\nEvery ${reportEvery} s (latencies in ms; lag: events acknowledged, not yet applied; deliveries: metrics updates to the ${subscribers} subscribers; ` +
        'RSS: primary/learner/servers):',
    );
    console.log(table(rows));
    console.log('\nPer operation over the whole run (ms):');
    const opRows = [['operation', 'served', 'per s', 'p50', 'p99', 'max', 'errors']];
    for (const op of OPS) {
      const h = w.total.latency[op];
      opRows.push([op, String(h.count), (h.count / elapsed).toFixed(1), ms(h.quantile(0.5)), ms(h.quantile(0.99)), ms(h.max), String(w.total.errors[op])]);
    }
    console.log(table(opRows));
    if (w.total.codes.size > 0) console.log(`errors by code: ${[...w.total.codes].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
    console.log(`skipped (more than ${maxInFlight} in flight): ${w.skipped}`);

    console.log('\nRSS (MiB) at start and end:');
    const names = [...new Set([...Object.keys(rssStart), ...Object.keys(rssEnd)])];
    console.log(table([['process', 'start', 'end'], ...names.map((n) => [n, rssStart[n]?.toFixed(1) ?? '—', rssEnd[n]?.toFixed(1) ?? '—'])]));
    if (pids.server.join() !== eddyProcesses(server.process.pid as number, server.output).server.join()) console.log('(a server process was restarted during the run)');

    const ok = status.lag === 0 && status.samplesLearned === soakAcked.size && inLog === soakAcked.size;
    console.log(
      `\nAcknowledged vs applied, after draining (lag ${status.lag}, ${Math.round(drainMs)} ms): ` +
        `${soakAcked.size} distinct acknowledged learn events (capacity phase included), ${inLog} learn events in the log, ` +
        `samplesLearned ${status.samplesLearned} — ${ok ? 'EQUAL' : 'MISMATCH'}`,
    );
    gql.close();
    admin.close();
    if (!ok) process.exitCode = 1;
  } finally {
    for (const child of subs?.children ?? []) child.kill('SIGKILL');
    await server.stop();
  }
}

await main();
