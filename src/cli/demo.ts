import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type Command, Option } from 'commander';
import { readCsv } from '../data/read-csv.js';
import type { MetricValue } from '../store/types.js';
import { CliError } from './cli-error.js';
import { apiKeyOption, checkUrl, integer } from './connection.js';
import { type Example, exampleReader } from './csv-examples.js';
import { GraphQLClient, NetworkError, RemoteError } from './graphql-client.js';

const PHISHING = fileURLToPath(new URL('../../data/phishing.csv.gz', import.meta.url));
const SPEC = { steps: [{ type: 'StandardScaler' }, { type: 'LogisticRegression' }] };
const METRICS = ['ROCAUC', 'Accuracy'];

const CREATE = `mutation($model: String!, $spec: JSON!, $metrics: [String!]) {
  createModel(name: $model, spec: $spec, metrics: $metrics) { name }
}`;
const LEARN = `mutation($model: String!, $features: JSON!, $label: JSON!, $key: String!) {
  learn(model: $model, features: $features, label: $label, key: $key) { eventId duplicate }
}`;
const WATCH = 'subscription($model: String!) { metrics(model: $model) { samplesLearned metrics { name value text } } }';
const STATUS = 'query($model: String!) { model(name: $model) { samplesLearned lag metrics { name value text } } }';

interface DemoOptions {
  url: string;
  apiKey?: string;
  model: string;
  rate: number;
  limit?: number;
  clients: number;
  every: number;
}

interface Status {
  samplesLearned: number;
  metrics: MetricValue[];
}

/**
 * `eddy demo`: what the original Flask demo showed, correct under concurrency. Creates a
 * StandardScaler | LogisticRegression model on a running server, streams the bundled Phishing
 * data through `learn` from several concurrent clients (each label with an idempotency key, so a
 * retried request is applied once), prints the live metric as the learner reports it over the
 * `metrics` subscription (SSE), and ends by checking that the model learnt exactly the labels the
 * server acknowledged.
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('stream the bundled Phishing data through learn on a running server and watch the live metric climb')
    .addOption(new Option('--url <url>', "the running server's GraphQL endpoint").env('EDDY_URL').default('http://127.0.0.1:4000/graphql'))
    .addOption(apiKeyOption())
    .option('--model <name>', 'the model to create (default: phishing, or phishing-2… when taken)', 'phishing')
    .option('--rate <n>', 'labels per second across all clients; 0 for as fast as the server takes them', integer(0), 200)
    .option('--limit <n>', 'send only the first N rows (default: all 1250)', integer(1))
    .option('--clients <n>', 'concurrent clients', integer(1, 256), 4)
    .option('--every <n>', 'print the metrics every N labels', integer(1), 100)
    .action(async (options: DemoOptions, command: Command) => {
      const client = new GraphQLClient(checkUrl(options.url), options.apiKey);
      const rows = await loadPhishing(options.limit);
      const model = await createModel(client, options.model, command.getOptionValueSource('model') === 'cli');
      const pace = options.rate > 0 ? `${options.rate} labels/s` : 'full speed';
      process.stdout.write(`model ${model}: StandardScaler | LogisticRegression on ${client.url}\n`);
      process.stdout.write(`streaming ${rows.length} Phishing labels through learn: ${options.clients} clients, ${pace}\n`);
      await run(client, model, rows, options);
    });
}

async function loadPhishing(limit?: number): Promise<Example[]> {
  const rows: Example[] = [];
  let read: ((cells: readonly string[], line: number) => Example) | undefined;
  await readCsv(PHISHING, {
    onHeader: (columns) => (read = exampleReader(columns, 'is_phishing', { task: 'binary', acceptsCategories: false })),
    onRow: (cells, line) => void (rows.length < (limit ?? Infinity) && rows.push(read!(cells, line))),
  });
  return rows;
}

/** Creates the model; the default name moves on to phishing-2, -3… when taken, a chosen one does not. */
async function createModel(client: GraphQLClient, name: string, chosen: boolean): Promise<string> {
  for (let n = 1; n <= 100; n++) {
    const model = n === 1 ? name : `${name}-${n}`;
    try {
      await client.request(CREATE, { model, spec: SPEC, metrics: METRICS });
      return model;
    } catch (error) {
      if (!(error instanceof RemoteError && error.code === 'MODEL_EXISTS')) throw error;
      if (chosen) throw new CliError(`model ${name} already exists; choose another --model`);
    }
  }
  throw new CliError(`models ${name} to ${name}-100 all exist; choose a --model`);
}

function metricsLine(samples: number, metrics: readonly MetricValue[]): string {
  return `${String(samples).padStart(5)} labels  ${metrics.map((m) => m.text).join('  ')}\n`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function run(client: GraphQLClient, model: string, rows: readonly Example[], options: DemoOptions): Promise<void> {
  // Live metrics: one line each time the learner's count passes a multiple of --every.
  let nextLine = options.every;
  let finished = false;
  const show = (s: Status) => {
    if (finished || s.samplesLearned < nextLine) return;
    process.stdout.write(metricsLine(s.samplesLearned, s.metrics));
    nextLine = (Math.floor(s.samplesLearned / options.every) + 1) * options.every;
  };
  const stopWatching = await watch(client, model, show);

  const key = `demo-${randomUUID()}`;
  const acknowledged = new Uint8Array(rows.length);
  let acks = 0;
  let next = 0;
  let failed = false;
  const started = performance.now();
  const worker = async () => {
    try {
      await send();
    } catch (error) {
      failed = true;
      throw error;
    }
  };
  const send = async () => {
    while (!failed && next < rows.length) {
      const i = next++;
      if (options.rate > 0) await sleep(started + (i * 1000) / options.rate - performance.now());
      await learn(client, { model, features: rows[i].features, label: rows[i].label, key: `${key}:${i}` });
      // A retry answered as a duplicate is the same label: count each row once.
      if (acknowledged[i] === 0) {
        acknowledged[i] = 1;
        acks++;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.clients }, worker));
    const final = await appliedAll(client, model, acks);
    finished = true;
    process.stdout.write(`final: ${metricsLine(final.samplesLearned, final.metrics).trimStart()}`);
    if (final.samplesLearned !== acks) {
      throw new CliError(`${acks} labels acknowledged but the model learnt ${final.samplesLearned}`, 1);
    }
    process.stdout.write(`check: ${acks} labels acknowledged, ${final.samplesLearned} learnt: every acknowledged label was applied once\n`);
  } finally {
    finished = true;
    await stopWatching();
  }
}

/** One label, retried with the same idempotency key while the server cannot be reached or is busy. */
async function learn(client: GraphQLClient, variables: Record<string, unknown>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.request(LEARN, variables);
      return;
    } catch (error) {
      const transient = error instanceof NetworkError || (error instanceof RemoteError && error.code === 'UNAVAILABLE');
      if (!transient || attempt >= 5) throw error;
      await sleep(100 * 2 ** attempt);
    }
  }
}

/** Follows the metrics subscription over SSE, or polls the model if the server refuses it. */
async function watch(client: GraphQLClient, model: string, show: (s: Status) => void): Promise<() => Promise<void>> {
  const controller = new AbortController();
  try {
    const { ended } = await client.subscribe<{ metrics: Status }>(WATCH, { model }, (d) => show(d.metrics), controller.signal);
    ended.catch((error: unknown) => process.stderr.write(`eddy demo: the metrics subscription ended: ${(error as Error).message}\n`));
    return async () => {
      controller.abort();
      await ended.catch(() => {});
    };
  } catch (error) {
    if (error instanceof NetworkError) throw error;
    process.stderr.write(`eddy demo: polling the model (${(error as Error).message})\n`);
    const timer = setInterval(() => {
      client.request<{ model: Status | null }>(STATUS, { model }).then((d) => d.model && show(d.model), () => {});
    }, 250);
    return async () => clearInterval(timer);
  }
}

/** Waits until the learner has applied every acknowledged label (or gives up after 30 s without progress). */
async function appliedAll(client: GraphQLClient, model: string, acks: number): Promise<Status> {
  let last = -1;
  let lastMove = Date.now();
  for (;;) {
    const status = (await client.request<{ model: (Status & { lag: number }) | null }>(STATUS, { model })).model;
    if (status === null) throw new CliError(`model ${model} not found`);
    if (status.lag === 0 && status.samplesLearned >= acks) return status;
    if (status.samplesLearned !== last) {
      last = status.samplesLearned;
      lastMove = Date.now();
    } else if (Date.now() - lastMove > 30_000) {
      return status;
    }
    await sleep(50);
  }
}
