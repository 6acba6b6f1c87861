import { Presets, SingleBar } from 'cli-progress';
import { type Command, Option } from 'commander';
import { DataError } from '../data/data-error.js';
import { featureReader } from '../data/cells.js';
import { readCsv } from '../data/read-csv.js';
import { targetReader } from '../data/targets.js';
import type { FeatureValue, Task } from '../ml/base/types.js';
import type { Pipeline } from '../ml/compose/pipeline.js';
import { predictForMetrics, scorePrediction } from '../ml/evaluate/progressive-validation.js';
import type { Metric } from '../ml/metrics/metric.js';
import { defaultMetrics, MetricSpecError, metricSuits, parseMetric } from '../ml/metrics/parse.js';
import { buildModel, SpecError } from '../ml/spec/model-spec.js';
import { CliError } from './cli-error.js';
import { readJsonOption } from './json-option.js';

export interface EvaluateOptions {
  data: string;
  target: string;
  /** Inline JSON, or a path to a JSON file. */
  model: string;
  metric: string[];
  json?: boolean;
  task?: Task;
}

/** What one run scored. */
export interface EvaluateResult {
  samples: number;
  metrics: readonly Metric[];
}

const TASKS: readonly Task[] = ['binary', 'multiclass', 'regression'];

/**
 * `eddy evaluate`: progressive validation (River's `evaluate.progressive_val_score`) of a model
 * spec over a CSV file, streamed: predict each row, score the prediction, learn the row.
 */
export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('score a model spec on a CSV file by progressive validation (predict, score, then learn each row)')
    .requiredOption('--data <file>', 'CSV file, plain or gzip (by extension or magic bytes)')
    .requiredOption('--target <column>', 'the column to predict')
    .requiredOption('--model <spec>', 'model spec: inline JSON, or a path to a JSON file')
    .option('--metric <name>', "a metric such as ROCAUC or MAE; repeatable (default: the task's)", collect, [])
    .addOption(new Option('--task <task>', 'how to read the target (default: from the model and metrics)').choices(TASKS))
    .option('--json', 'print one JSON line, values at full precision')
    .action(async (options: EvaluateOptions) => {
      const result = await evaluate(options, process.stderr.isTTY ? progressBar() : undefined);
      process.stdout.write(options.json ? `${toJsonLine(result)}\n` : result.metrics.map((m) => `${m}\n`).join(''));
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Reads the `--model` value: inline JSON or a JSON file. */
export function loadSpec(text: string): Promise<unknown> {
  return readJsonOption('--model', text);
}

function buildSpec(spec: unknown): Pipeline {
  try {
    return buildModel(spec);
  } catch (error) {
    if (error instanceof SpecError) throw new CliError(`invalid model spec: ${error.message}`);
    throw error;
  }
}

function parseMetrics(texts: readonly string[]): Metric[] {
  const metrics = texts.map((text) => {
    try {
      return parseMetric(text);
    } catch (error) {
      if (error instanceof MetricSpecError) throw new CliError(`invalid --metric ${JSON.stringify(text)}: ${error.message}`);
      throw error;
    }
  });
  const names = new Set<string>();
  for (const m of metrics) {
    if (names.has(m.name)) throw new CliError(`--metric ${m.name} is given twice`);
    names.add(m.name);
  }
  return metrics;
}

const binaryOnly = (m: Metric) => m.tasks.includes('binary') && !m.tasks.includes('multiclass');

/**
 * The task the target is read for: the model's, unless a multiclass classifier is asked to do a
 * binary task (by `--task binary` or a binary-only metric such as ROCAUC).
 */
export function resolveTask(model: Pipeline, metrics: readonly Metric[], requested: Task | undefined): Task {
  const kind = model.final.kind;
  const own = model.task;
  if (requested !== undefined && requested !== own) {
    const fits = own === 'multiclass' && requested === 'binary';
    if (!fits) {
      const what = own === 'regression' ? 'a regressor' : own === 'binary' ? 'a binary classifier' : 'a classifier';
      throw new CliError(`--task ${requested} does not fit the model: ${kind} is ${what}`);
    }
  }
  if (own !== 'multiclass') return own;
  return requested ?? (metrics.some(binaryOnly) ? 'binary' : 'multiclass');
}

function checkMetrics(metrics: readonly Metric[], task: Task): void {
  for (const m of metrics) {
    if (!metricSuits(m, task)) {
      throw new CliError(`--metric ${m.name} cannot score a ${task} task (it scores ${m.tasks.join(', ')} tasks)`);
    }
  }
}

/** Drives a progress display from bytes read. */
export interface Progress {
  update(bytesRead: number, totalBytes: number, rows: number): void;
  stop(): void;
}

/** Runs progressive validation of `options.model` over `options.data`; throws CliErrors for bad input. */
export async function evaluate(options: EvaluateOptions, progress?: Progress): Promise<EvaluateResult> {
  const model = buildSpec(await loadSpec(options.model));
  const chosen = parseMetrics(options.metric);
  const task = resolveTask(model, chosen, options.task);
  checkMetrics(chosen, task);
  const metrics = chosen.length > 0 ? chosen : defaultMetrics(task).map((name) => parseMetric(name));

  const readTarget = targetReader(task, options.target);
  let features: ((cells: readonly string[]) => Record<string, FeatureValue>) | undefined;
  let targetIndex = -1;
  let samples = 0;
  try {
    await readCsv(options.data, {
      onHeader(columns) {
        targetIndex = columns.indexOf(options.target);
        if (targetIndex < 0) {
          const known = columns.map((c) => JSON.stringify(c)).join(', ');
          throw new DataError(`unknown column ${JSON.stringify(options.target)} (the columns are ${known})`);
        }
        features = featureReader(columns, targetIndex);
      },
      onRow(cells, line) {
        let y;
        try {
          y = readTarget(cells[targetIndex]);
        } catch (error) {
          throw new DataError((error as Error).message, line);
        }
        const x = features!(cells);
        scorePrediction(metrics, y, predictForMetrics(model, metrics, x));
        model.learnOne(x, y);
        samples++;
      },
      onProgress: progress && ((bytes, total) => progress.update(bytes, total, samples)),
    });
  } catch (error) {
    if (error instanceof DataError) throw new CliError(`${options.data}: ${error.message}`);
    throw error;
  } finally {
    progress?.stop();
  }
  return { samples, metrics };
}

function jsonNumber(value: number): string {
  return Number.isFinite(value) ? JSON.stringify(value) : 'null';
}

/** `{"samples": N, "metrics": {"ROCAUC": 0.95…}}`: one line, Python's json.dumps spacing. */
export function toJsonLine(result: EvaluateResult): string {
  const metrics = result.metrics.map((m) => `${JSON.stringify(m.name)}: ${jsonNumber(m.get())}`).join(', ');
  return `{"samples": ${result.samples}, "metrics": {${metrics}}}`;
}

/** A bar on stderr, driven by bytes read, cleared when done so only the scores remain. */
function progressBar(): Progress {
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: 'evaluate |{bar}| {percentage}% | {rows} rows | ETA {eta_formatted}',
      clearOnComplete: true,
      hideCursor: true,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(bytes, total, rows) {
      if (!started) {
        bar.start(Math.max(total, 1), 0, { rows: 0 });
        started = true;
      }
      bar.update(bytes, { rows: rows.toLocaleString('en-US') });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
