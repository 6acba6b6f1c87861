/**
 * Subscriptions under load (issue 4): N subscribers — half over SSE, half over graphql-ws, spread
 * over the server processes by node:cluster — follow the metrics of a model that a driver keeps
 * learning at a steady rate (one learn every 1/rate s, so the learner publishes about `rate`
 * updates a second). Each client measures delivery latency from the learner's publish, the
 * `publishedAt` timestamp in every MetricsUpdate, to its arrival. Meanwhile predict requests run
 * at a modest rate and are timed, first without subscribers (baseline), then with them.
 * See bench/README.md.
 *
 * Flags: --subscribers N (1000), --ws-fraction F (0.5), --rate R learns/s (10), --duration S (20),
 * --warmup S (5), --baseline S (10), --workers W (2), --clients C (2 subscriber processes),
 * --predict-rate P (20/s), --interval MS (the server's --subscription-interval, 100),
 * --mode fanout|yoga|both (fanout; both runs yoga first, then fanout, in the same run),
 * --sample F (1: the fraction of subscribers that read each update as it arrives and measure it;
 * the others stand in for clients on other machines and drain their sockets once a second),
 * --profile DIR (CPU profiles of the eddy and subscriber processes, written when they exit).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { phishing } from '../../test/support/datasets.js';
import { sleep } from '../../test/support/server.js';
import { every, GqlClient } from '../gql-client.js';
import { Histogram, ms } from '../histogram.js';
import { load1, machine, option, table } from '../machine.js';
import { cpuSeconds, eddyProcesses, openFilesLimit } from '../proc.js';
import { EddyServer } from '../server/eddy-server.js';

const subscribers = Number(option('subscribers') ?? 1000);
const wsFraction = Number(option('ws-fraction') ?? 0.5);
const rate = Number(option('rate') ?? 10);
const duration = Number(option('duration') ?? 20);
const warmup = Number(option('warmup') ?? 5);
const baselineSeconds = Number(option('baseline') ?? 10);
const workers = Number(option('workers') ?? 2);
const clients = Number(option('clients') ?? 2);
const predictRate = Number(option('predict-rate') ?? 20);
const interval = Number(option('interval') ?? 100);
const sample = Number(option('sample') ?? 1);
const modeOption = option('mode') ?? 'fanout';
const profileDir = option('profile');
const modes: Array<'fanout' | 'yoga'> = modeOption === 'both' ? ['yoga', 'fanout'] : [modeOption as 'fanout' | 'yoga'];
/** A predict slower than this counts as stalled. */
const STALL_MS = 100;

const CLIENT = fileURLToPath(new URL('./client.ts', import.meta.url));
const MODEL = 'live';
const METRICS = 'subscription ($m: String!) { metrics(model: $m) { model samplesLearned lastEventId publishedAt metrics { name value text } } }';
const LEARN = 'mutation ($m: String!, $f: JSON!, $y: JSON!) { learn(model: $m, features: $f, label: $y) { eventId } }';
const PREDICT = 'query ($m: String!, $f: JSON!) { predict(model: $m, features: $f) { label probabilities version } }';
const data = phishing();

interface ClientReport {
  sse: ReturnType<Histogram['toJSON']>;
  ws: ReturnType<Histogram['toJSON']>;
  received: number[];
  errors: string[];
  closedEarly: number;
}

interface Outcome {
  mode: string;
  connected: number;
  connectSeconds: number;
  sse: Histogram;
  ws: Histogram;
  received: number[];
  errors: string[];
  closedEarly: number;
  predictBaseline: Histogram;
  predictDuring: Histogram;
  predictFailures: number;
  learnsPerSecond: number;
  cpu: { servers: number[]; learner: number; clients: number };
  load: number;
}

function startClient(): Promise<{ child: ChildProcess; next: <T>(type: string) => Promise<T> }> {
  const profile = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  const child = fork(CLIENT, [], { execArgv: [...profile, '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<string, { resolve: (m: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (m: { type: string }) => {
    waiting.get(m.type)?.resolve(m);
    waiting.delete(m.type);
  });
  child.on('exit', (code, signal) => {
    for (const w of waiting.values()) w.reject(new Error(`a subscriber process exited (${signal ?? code})`));
    waiting.clear();
  });
  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => waiting.set(type, { resolve: resolve as (m: unknown) => void, reject }));
  return Promise.resolve({ child, next });
}

/** Runs predicts at `predictRate` per second into `into` until stopped; counts failures. */
function predicting(gql: GqlClient, into: { h: Histogram; failures: number }) {
  return every(predictRate, (n) => {
    const [x] = data[n % data.length];
    gql.post(PREDICT, { m: MODEL, f: x }).then(
      (r) => (r.errors === undefined ? into.h.record(r.ms) : into.failures++),
      () => into.failures++,
    );
  });
}

async function runMode(mode: 'fanout' | 'yoga'): Promise<Outcome> {
  const server = await EddyServer.start({
    workers,
    args: ['--subscriptions', mode, '--subscription-interval', String(interval), '--checkpoint-interval', '1000'],
    // Cluster workers inherit the primary's node flags, so every eddy process writes a profile on exit.
    nodeArgs: profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
  });
  const kids: ChildProcess[] = [];
  try {
    const gql = new GqlClient(server.url, 4);
    const probe = new GqlClient(server.url, 4);
    await gql.data('mutation ($m: String!) { createModel(name: $m, spec: { steps: [{ type: "StandardScaler" }, { type: "LogisticRegression" }] }) { name } }', { m: MODEL });
    await gql.data('mutation ($m: String!, $e: [ExampleInput!]!) { learnMany(model: $m, examples: $e, wait: true) { eventIds } }', {
      m: MODEL,
      e: data.slice(0, 200).map(([features, label]) => ({ features, label })),
    });

    // The driver: one learn every 1/rate s, so the learner publishes about `rate` updates a second.
    let learnFailures = 0;
    const driver = every(rate, (n) => {
      const [x, y] = data[(200 + n) % data.length];
      gql.post(LEARN, { m: MODEL, f: x, y }).then(
        (r) => r.errors !== undefined && learnFailures++,
        () => learnFailures++,
      );
    });

    process.stdout.write(`[${mode}] predict baseline (${baselineSeconds} s, learning, no subscribers)… `);
    const baseline = { h: new Histogram(), failures: 0 };
    let probing = predicting(probe, baseline);
    await sleep(baselineSeconds * 1000);
    probing.stop();
    console.log(`p99 ${ms(baseline.h.quantile(0.99))} ms`);

    const perClient = Math.ceil(subscribers / clients);
    const started = performance.now();
    const handles = await Promise.all(Array.from({ length: clients }, startClient));
    for (const h of handles) kids.push(h.child);
    let remaining = subscribers;
    const opened = handles.map((h) => {
      const n = Math.min(perClient, remaining);
      remaining -= n;
      const ws = Math.round(n * wsFraction);
      const done = h.next<{ opened: number; errors: string[] }>('opened');
      h.child.send({ type: 'open', url: server.url, query: METRICS, variables: { m: MODEL }, sse: n - ws, ws, sample });
      return done;
    });
    const openings = await Promise.all(opened);
    const openErrors = openings.flatMap((o) => o.errors);
    const connected = openings.reduce((n, o) => n + o.opened, 0);
    const connectSeconds = (performance.now() - started) / 1000;
    console.log(
      `[${mode}] ${connected} of ${subscribers} subscribers connected in ${connectSeconds.toFixed(1)} s` +
        (openErrors.length > 0 ? ` (errors: ${openErrors.slice(0, 3).join('; ')})` : ''),
    );
    await sleep(warmup * 1000);

    for (const h of handles) h.child.send({ type: 'reset' });
    const procs = eddyProcesses(server.process.pid as number, server.output);
    const cpuBefore = [...procs.server, ...procs.learner, ...kids.map((k) => k.pid as number)].map(cpuSeconds);
    const samplesBefore = await samplesLearned(gql);
    const during = { h: new Histogram(), failures: 0 };
    probing = predicting(probe, during);
    const windowStart = performance.now();
    await sleep(duration * 1000);
    probing.stop();
    const windowSeconds = (performance.now() - windowStart) / 1000;
    const reports = await Promise.all(
      handles.map((h) => {
        const r = h.next<ClientReport>('report');
        h.child.send({ type: 'report' });
        return r;
      }),
    );
    const cpuAfter = [...procs.server, ...procs.learner, ...kids.map((k) => k.pid as number)].map(cpuSeconds);
    const samplesAfter = await samplesLearned(gql);
    driver.stop();
    for (const h of handles) h.child.send({ type: 'close' });

    const share = (i: number) => (100 * (cpuAfter[i] - cpuBefore[i])) / windowSeconds;
    const sse = new Histogram();
    const ws = new Histogram();
    for (const r of reports) {
      sse.merge(Histogram.fromJSON(r.sse));
      ws.merge(Histogram.fromJSON(r.ws));
    }
    gql.close();
    probe.close();
    return {
      mode,
      connected,
      connectSeconds,
      sse,
      ws,
      received: reports.flatMap((r) => r.received).map((n) => n / windowSeconds),
      errors: [...openErrors, ...reports.flatMap((r) => r.errors)].slice(0, 10),
      closedEarly: reports.reduce((n, r) => n + r.closedEarly, 0),
      predictBaseline: baseline.h,
      predictDuring: during.h,
      predictFailures: baseline.failures + during.failures + learnFailures,
      learnsPerSecond: (samplesAfter - samplesBefore) / windowSeconds,
      cpu: {
        servers: procs.server.map((_, i) => share(i)),
        learner: share(procs.server.length),
        clients: kids.reduce((sum, _, i) => sum + share(procs.server.length + procs.learner.length + i), 0),
      },
      load: load1(),
    };
  } finally {
    for (const kid of kids) if (kid.exitCode === null) kid.kill('SIGKILL');
    await server.stop();
  }
}

async function samplesLearned(gql: GqlClient): Promise<number> {
  return (await gql.data<{ model: { samplesLearned: number } }>('query ($m: String!) { model(name: $m) { samplesLearned } }', { m: MODEL })).model
    .samplesLearned;
}

function quantileOf(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function report(outcomes: Outcome[]): void {
  console.log(`\n${machine()}`);
  console.log(
    `\n${subscribers} subscribers (${Math.round(subscribers * (1 - wsFraction))} SSE, ${Math.round(subscribers * wsFraction)} WebSocket) over ${workers} server processes, ` +
      `${clients} subscriber processes; driver ${rate} learns/s; window ${duration} s after ${warmup} s warm-up; ` +
      `metrics coalesced to one per ${interval} ms per model (fan-out); predicts at ${predictRate}/s.` +
      (sample < 1
        ? ` Latency measured on every ${Math.round(1 / sample)}th subscriber; the others read their sockets once a second (stand-ins for clients elsewhere, so this machine's cores go to the server).`
        : '') +
      '\n',
  );
  const all = (o: Outcome) => {
    const h = new Histogram();
    h.merge(o.sse);
    h.merge(o.ws);
    return h;
  };
  const rows = [['mode', 'transport', 'deliveries', 'per sub/s (min–median)', 'p50 ms', 'p99 ms', 'max ms', '> 200 ms']];
  for (const o of outcomes) {
    for (const [name, h] of [['SSE', o.sse], ['WebSocket', o.ws], ['all', all(o)]] as const) {
      rows.push([
        o.mode,
        name,
        h.count.toLocaleString('en-US'),
        name === 'all' ? `${quantileOf(o.received, 0).toFixed(1)}–${quantileOf(o.received, 0.5).toFixed(1)}` : '',
        ms(h.quantile(0.5)),
        ms(h.quantile(0.99)),
        ms(h.max),
        `${((100 * h.above(200)) / Math.max(1, h.count)).toFixed(2)}%`,
      ]);
    }
  }
  console.log('Delivery latency, learner publish → client (publishedAt in the payload):');
  console.log(table(rows, (c) => c > 1));
  const predictRows = [['mode', 'predicts', 'baseline p50', 'p99', 'max', 'with subscribers p50', 'p99', 'max', `> ${STALL_MS} ms`, 'failed']];
  for (const o of outcomes) {
    predictRows.push([
      o.mode,
      `${o.predictBaseline.count} + ${o.predictDuring.count}`,
      ms(o.predictBaseline.quantile(0.5)),
      ms(o.predictBaseline.quantile(0.99)),
      ms(o.predictBaseline.max),
      ms(o.predictDuring.quantile(0.5)),
      ms(o.predictDuring.quantile(0.99)),
      ms(o.predictDuring.max),
      String(o.predictDuring.above(STALL_MS)),
      String(o.predictFailures),
    ]);
  }
  console.log('\nPredict latency (ms), without and with the subscribers:');
  console.log(table(predictRows, (c) => c > 0));
  const cpuRows = [['mode', 'connected', 'connect s', 'learns/s applied', 'server CPU %', 'learner CPU %', 'subscriber procs CPU %', 'closed early', 'load (1 min)']];
  for (const o of outcomes) {
    cpuRows.push([
      o.mode,
      String(o.connected),
      o.connectSeconds.toFixed(1),
      o.learnsPerSecond.toFixed(1),
      o.cpu.servers.map((c) => c.toFixed(0)).join(' + '),
      o.cpu.learner.toFixed(0),
      o.cpu.clients.toFixed(0),
      String(o.closedEarly),
      o.load.toFixed(2),
    ]);
  }
  console.log('\nDuring the window:');
  console.log(table(cpuRows, (c) => c > 0));
  for (const o of outcomes) if (o.errors.length > 0) console.log(`\n[${o.mode}] errors: ${o.errors.join('\n  ')}`);
}

const needed = Math.ceil(subscribers / clients) + 100;
if (openFilesLimit() < needed) {
  console.error(`Each subscriber process needs ~${needed} open files but the limit is ${openFilesLimit()}: run \`ulimit -n ${Math.max(needed, 65536)}\` first (or use more --clients).`);
  process.exit(2);
}
const outcomes: Outcome[] = [];
for (const mode of modes) outcomes.push(await runMode(mode));
report(outcomes);
