import { canonicalJson } from '../ml/base/canonical-json.js';
import type { Json, Task } from '../ml/base/types.js';
import { buildModel, normalizedSpec, SpecError } from '../ml/spec/model-spec.js';
import type { ModelRecord, NewEvent } from '../store/types.js';
import { CliError } from './cli-error.js';
import type { Example, ExampleModel } from './csv-examples.js';
import { GraphQLClient, RemoteError } from './graphql-client.js';
import { LocalEddy } from './local-eddy.js';
import { fromRemote, type RemoteVersion, VERSION_FIELDS, type VersionView } from './version-view.js';

/** Where `eddy import` sends rows: a database file (in-process learner) or a running server. */
export interface ImportSink {
  readonly model: ExampleModel;
  /** Labels applied by the learner since the import began, for the progress display. */
  readonly learnt: number;
  /** Appends a batch durably; `lines` are the file lines of the examples, for error messages. */
  send(examples: readonly Example[], lines: readonly number[]): Promise<void>;
  /** Waits until the learner has applied everything sent, then has it write an `import` version. */
  finish(onLearnt: () => void): Promise<VersionView>;
  close(): Promise<void>;
}

/** What to do when the model does not exist yet (`--spec`), or undefined to require it. */
export interface NewModel {
  spec: unknown;
  metrics: string[];
}

const TASKS: Record<string, Task> = { BINARY: 'binary', MULTICLASS: 'multiclass', REGRESSION: 'regression' };

function normalize(spec: unknown): Json {
  try {
    return normalizedSpec(buildModel(spec));
  } catch (error) {
    if (error instanceof SpecError) throw new CliError(`invalid --spec: ${error.message}`);
    throw error;
  }
}

/** A model that exists already must be the one `--spec` describes, or the import goes elsewhere than meant. */
function checkSameSpec(name: string, existing: Json, create: NewModel | undefined): void {
  if (create === undefined) return;
  if (canonicalJson(normalize(create.spec)) !== canonicalJson(existing)) {
    throw new CliError(`model ${name} already exists with another spec; leave out --spec to import into it`);
  }
}

function notFound(name: string): CliError {
  return new CliError(`model ${name} not found (give --spec to create it)`);
}

function modelOf(task: Task, spec: Json): ExampleModel {
  return { task, acceptsCategories: buildModel(spec).acceptsCategories };
}

/**
 * Straight into the database file: events appended with the store, a learner in this process
 * applying them as they come, and a `checkpoint` event with reason `import` at the end, so the
 * version is written by the learner from the log like any other and audits like any other.
 */
export class FileSink implements ImportSink {
  learnt = 0;

  private constructor(
    private readonly eddy: LocalEddy,
    private readonly record: ModelRecord,
    readonly model: ExampleModel,
  ) {}

  static async open(path: string, name: string, create: NewModel | undefined): Promise<FileSink> {
    if (create !== undefined) normalize(create.spec); // a bad spec fails before the lease is taken
    // No server reads fresh versions while the file is ours: checkpoint by events only.
    const eddy = await LocalEddy.open(path, { create: create !== undefined, learner: { checkpointIntervalMs: 3_600_000 } });
    try {
      let record = await eddy.store.getModel(name);
      if (record === undefined) {
        if (create === undefined) throw notFound(name);
        record = await eddy.createModel(name, create.spec, create.metrics);
      } else checkSameSpec(name, record.spec, create);
      const sink = new FileSink(eddy, record, modelOf(record.task, record.spec));
      const start = (await eddy.store.latestVersion(record.id))?.samplesLearned ?? 0;
      const id = record.id;
      eddy.onMessage((m) => {
        if (m.type !== 'progress') return;
        for (const p of m.models) if (p.modelId === id) sink.learnt = p.samplesLearned - start;
      });
      return sink;
    } catch (error) {
      await eddy.close();
      throw error;
    }
  }

  async send(examples: readonly Example[]): Promise<void> {
    const events: NewEvent[] = examples.map((e) => ({
      modelId: this.record.id,
      kind: 'learn',
      features: e.features,
      label: e.label,
      predictionId: null,
      served: null,
      key: null,
    }));
    const [outcomes] = await this.eddy.store.appendEvents([events]);
    let max = 0;
    for (const o of outcomes) {
      if (o.status !== 'appended') throw new Error(`an imported row was not appended: ${o.status}`);
      max = Math.max(max, o.id);
    }
    if (max > 0) this.eddy.nudge(max);
  }

  async finish(onLearnt: () => void): Promise<VersionView> {
    const off = this.eddy.onMessage((m) => m.type === 'progress' && onLearnt());
    try {
      return await this.eddy.requestVersion(this.record, { modelId: this.record.id, kind: 'checkpoint', reason: 'import' });
    } finally {
      off();
    }
  }

  close(): Promise<void> {
    return this.eddy.close();
  }
}

const MODEL = 'query($model: String!) { model(name: $model) { task spec samplesLearned } }';
const CREATE = `mutation($model: String!, $spec: JSON!, $metrics: [String!]) {
  createModel(name: $model, spec: $spec, metrics: $metrics) { task spec samplesLearned }
}`;
const LEARN_MANY = 'mutation($model: String!, $examples: [ExampleInput!]!) { learnMany(model: $model, examples: $examples) { eventIds } }';
const STATUS = 'query($model: String!) { model(name: $model) { samplesLearned lag } }';
const CHECKPOINT = `mutation($model: String!) { checkpoint(model: $model, reason: IMPORT) { ${VERSION_FIELDS} } }`;

interface RemoteModel {
  task: string;
  spec: Json;
  samplesLearned: number;
}

/** How long the server's learner may apply nothing before the import stops waiting for it. */
const STALL_MS = 60_000;

/**
 * Through a running server: `learnMany` batches over HTTP, in file order, one at a time; then,
 * once the server's learner has caught up, `checkpoint(reason: IMPORT)`.
 */
export class HttpSink implements ImportSink {
  learnt = 0;

  private constructor(
    private readonly client: GraphQLClient,
    private readonly name: string,
    readonly model: ExampleModel,
    private readonly start: number,
  ) {}

  static async open(url: string, apiKey: string | undefined, name: string, create: NewModel | undefined): Promise<HttpSink> {
    const client = new GraphQLClient(url, apiKey);
    let remote = (await client.request<{ model: RemoteModel | null }>(MODEL, { model: name })).model;
    if (remote === null) {
      if (create === undefined) throw notFound(name);
      normalize(create.spec); // the same message as the file mode for a bad spec
      const metrics = create.metrics.length > 0 ? create.metrics : null;
      remote = (await client.request<{ createModel: RemoteModel }>(CREATE, { model: name, spec: create.spec, metrics })).createModel;
    } else checkSameSpec(name, remote.spec, create);
    return new HttpSink(client, name, modelOf(TASKS[remote.task], remote.spec), remote.samplesLearned);
  }

  async send(examples: readonly Example[], lines: readonly number[]): Promise<void> {
    try {
      await this.client.request(LEARN_MANY, { model: this.name, examples });
    } catch (error) {
      // The server names the example (`examples[3].label …`); the user needs the line.
      const match = error instanceof RemoteError ? /^examples\[(\d+)\]\.(.*)$/s.exec(error.message) : null;
      if (match !== null && lines[Number(match[1])] !== undefined) {
        throw new CliError(`line ${lines[Number(match[1])]}: ${match[2]}`);
      }
      throw error;
    }
  }

  async finish(onLearnt: () => void): Promise<VersionView> {
    let lastMove = Date.now();
    for (;;) {
      const { model: status } = await this.client.request<{ model: { samplesLearned: number; lag: number } | null }>(STATUS, {
        model: this.name,
      });
      if (status === null) throw new CliError(`model ${this.name} not found`);
      const learnt = status.samplesLearned - this.start;
      if (learnt !== this.learnt) {
        this.learnt = learnt;
        lastMove = Date.now();
        onLearnt();
      }
      if (status.lag === 0) break;
      if (Date.now() - lastMove > STALL_MS) {
        throw new CliError(
          `the server's learner applied nothing for ${STALL_MS / 1000} s (${status.lag} rows waiting); ` +
            'every row is committed and will be applied',
          1,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const data = await this.client.request<{ checkpoint: RemoteVersion }>(CHECKPOINT, { model: this.name });
    return fromRemote(data.checkpoint);
  }

  async close(): Promise<void> {}
}
