import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { DataError } from '../data/data-error.js';
import { readCsv } from '../data/read-csv.js';
import { BatchQueue } from './batch-queue.js';
import { CliError } from './cli-error.js';
import { readJsonOption } from './json-option.js';
import { addConnectionOptions, collect, connectionOf, integer } from './connection.js';
import { type Example, exampleReader } from './csv-examples.js';
import { FileSink, HttpSink, type ImportSink } from './import-sinks.js';
import { type VersionView, versionLine } from './version-view.js';

interface ImportOptions {
  data: string;
  target: string;
  model: string;
  spec?: string;
  metric: string[];
  batch: number;
}

/**
 * `eddy import`: streams a CSV file into a model through the learner, then has the learner write
 * a version with reason `import`. Through a running server (`--url`) rows go as `learnMany`
 * batches; on the database file they are appended to the log and applied by a learner in this
 * process (refused while a server holds the lease). Either way every row is an event in the log,
 * so the import is replayable and auditable, and rows are learnt in file order.
 */
export function registerImport(program: Command): void {
  addConnectionOptions(
    program
      .command('import')
      .description('stream a CSV file into a model through the learner, then write a version with reason import')
      .requiredOption('--data <file>', 'CSV file, plain or gzip')
      .requiredOption('--target <column>', 'the column holding the labels')
      .requiredOption('--model <name>', 'the model to teach')
      .option('--spec <spec>', 'create the model if it does not exist: a spec as inline JSON or a JSON file')
      .option('--metric <name>', "with --spec: the new model's metrics, repeatable (default: the task's)", collect, [])
      .option('--batch <n>', 'rows per append (learnMany)', integer(1, 10_000), 1000),
  ).action(async (options: ImportOptions, command: Command) => {
    const connection = connectionOf(command);
    if (options.spec === undefined && options.metric.length > 0) {
      throw new CliError('--metric only applies with --spec, to a model being created');
    }
    const create = options.spec === undefined ? undefined : { spec: await readJsonOption('--spec', options.spec), metrics: options.metric };
    const sink = await (connection.kind === 'url'
      ? HttpSink.open(connection.url, connection.apiKey, options.model, create)
      : FileSink.open(connection.path, options.model, create));
    try {
      const { rows, version } = await importRows(sink, options, process.stderr.isTTY ? progressBar() : undefined);
      process.stdout.write(`imported ${rows.toLocaleString('en-US')} rows from ${options.data} into ${options.model}\n`);
      process.stdout.write(`${versionLine(version)}\n`);
    } finally {
      await sink.close();
    }
  });
}

interface Display {
  update(values: { bytes?: number; total?: number; rows: number; learnt: number }): void;
  stop(): void;
}

/** Reads the file, sends it in batches in file order, and waits for the import version. */
async function importRows(sink: ImportSink, options: ImportOptions, display?: Display): Promise<{ rows: number; version: VersionView }> {
  let committed = 0;
  const queue = new BatchQueue<{ examples: Example[]; lines: number[] }>(async (b) => {
    await sink.send(b.examples, b.lines);
    committed += b.examples.length;
  });
  let read: ((cells: readonly string[], line: number) => Example) | undefined;
  let batch: Example[] = [];
  let lines: number[] = [];
  let rows = 0;
  const flush = () => {
    const pending = queue.push({ examples: batch, lines });
    batch = [];
    lines = [];
    return pending;
  };
  try {
    await readCsv(options.data, {
      onHeader(columns) {
        read = exampleReader(columns, options.target, sink.model);
      },
      onRow(cells, line) {
        batch.push(read!(cells, line));
        lines.push(line);
        rows++;
        return batch.length >= options.batch ? flush() : undefined;
      },
      onProgress: display && ((bytes, total) => display.update({ bytes, total, rows, learnt: sink.learnt })),
    });
    if (batch.length > 0) void flush();
    await queue.finish();
    const version = await sink.finish(() => display?.update({ rows, learnt: sink.learnt }));
    return { rows, version };
  } catch (error) {
    // Rows already committed are in the log for good (the learner applies them); say how many.
    await queue.finish().catch(() => {});
    const rowsWere = committed === 1 ? 'row was' : 'rows were';
    const kept = committed === 0 ? '' : ` (${committed.toLocaleString('en-US')} earlier ${rowsWere} imported)`;
    if (error instanceof DataError) throw new CliError(`${options.data}: ${error.message}${kept}`);
    if (error instanceof CliError && /^line \d+: /.test(error.message)) {
      throw new CliError(`${options.data}: ${error.message}${kept}`, error.exitCode);
    }
    throw error;
  } finally {
    display?.stop();
  }
}

/** A bar on stderr driven by bytes read, with rows read and labels the learner has applied. */
function progressBar(): Display {
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: 'import |{bar}| {percentage}% | {rows} rows read | {learnt} learnt',
      clearOnComplete: true,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update({ bytes, total, rows, learnt }) {
      const payload = { rows: rows.toLocaleString('en-US'), learnt: learnt.toLocaleString('en-US') };
      if (!started) {
        bar.start(Math.max(total ?? 1, 1), 0, payload);
        started = true;
      }
      if (bytes !== undefined) bar.update(bytes, payload);
      else bar.update(payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
