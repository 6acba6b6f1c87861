import type { JsonObject, Task } from '../base/types.js';
import type { Metric } from './metric.js';
import { definitionOf, MetricSpecError, metricFromSpec } from './specs.js';

export { knownMetrics, MetricSpecError, metricFromSpec, restoreMetric } from './specs.js';

type Literal = boolean | number | string;
type Node = { kind: 'call'; name: string; args: Arg[]; at: number } | { kind: 'literal'; value: Literal; at: number };
interface Arg {
  key: string | null;
  value: Node;
}
interface Token {
  text: string;
  at: number;
}

const TOKEN = /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|(-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|('[^']*'|"[^"]*")|([(),=]))/y;
const BOOLEANS: Record<string, boolean> = { true: true, True: true, false: false, False: false };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (match === null) {
      const where = text.slice(at).search(/\S/) + at;
      throw new MetricSpecError(`cannot read "${text.slice(where)}" in metric "${text}"`);
    }
    tokens.push({ text: match[0].trim(), at: match.index + match[0].length - match[0].trim().length });
  }
  return tokens;
}

/** A recursive-descent reader of `Name`, `Name(arg, key=value, ...)`, where args may be metrics. */
class Reader {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly text: string,
  ) {}

  private fail(expected: string): never {
    const token = this.tokens[this.i];
    const found = token === undefined ? 'the end' : `"${token.text}" at ${token.at}`;
    throw new MetricSpecError(`expected ${expected} but found ${found} in metric "${this.text}"`);
  }

  private peek(offset = 0): string | undefined {
    return this.tokens[this.i + offset]?.text;
  }

  private take(text: string): void {
    if (this.peek() !== text) this.fail(`"${text}"`);
    this.i++;
  }

  readAll(): Node {
    const node = this.value();
    if (this.i < this.tokens.length) this.fail('the end');
    return node;
  }

  private value(): Node {
    const token = this.tokens[this.i];
    if (token === undefined) return this.fail('a metric name or a value');
    const { text, at } = token;
    if (/^['"]/.test(text)) return this.literal(text.slice(1, -1), at);
    if (/^[-.\d]/.test(text)) return this.literal(Number(text), at);
    if (!/^[A-Za-z_]/.test(text)) return this.fail('a metric name or a value');
    if (text in BOOLEANS && this.peek(1) !== '(') return this.literal(BOOLEANS[text], at);
    this.i++;
    const args: Arg[] = [];
    if (this.peek() === '(') {
      this.take('(');
      while (this.peek() !== ')') {
        if (args.length > 0) this.take(',');
        const key = this.peek(1) === '=' ? this.tokens[this.i].text : null;
        if (key !== null) this.i += 2;
        args.push({ key, value: this.value() });
      }
      this.take(')');
    }
    return { kind: 'call', name: text, args, at };
  }

  private literal(value: Literal, at: number): Node {
    this.i++;
    return { kind: 'literal', value, at };
  }
}

/** `window_size` → `windowSize`, so River's spelling works too. */
function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function toSpec(node: Node, text: string, path: string): JsonObject {
  const where = path === '' ? '' : `${path}: `;
  if (node.kind !== 'call') throw new MetricSpecError(`${where}expected a metric name at ${node.at} in metric "${text}"`);
  const definition = definitionOf(node.name, where);
  const spec: JsonObject = { type: node.name };
  const positional = definition.positional ?? [];
  node.args.forEach((arg, index) => {
    const key = arg.key === null ? positional[index] : camel(arg.key);
    if (key === undefined) throw new MetricSpecError(`${node.name} takes no argument at position ${index + 1}; name it (key=value)`);
    if (key in spec) throw new MetricSpecError(`${node.name}.${key} is given twice`);
    if (definition.nested?.includes(key)) spec[key] = toSpec(arg.value, text, `${path === '' ? '' : `${path}.`}${node.name}.${key}`);
    else if (arg.value.kind === 'literal') spec[key] = arg.value.value;
    else throw new MetricSpecError(`${node.name}.${key} must be a number, a quoted string or a boolean`);
  });
  return spec;
}

/**
 * Builds a metric from its name as users write it: `ROCAUC`, `MAE`, `Rolling(ROCAUC, 1000)`,
 * `FBeta(beta=2)`, `ROCAUC(n_thresholds=20)`. Whitespace is free; params are positional in
 * River's order or named (camelCase or River's snake_case). Throws a MetricSpecError that says
 * what is wrong and lists the known metrics.
 *
 * @example
 * metrics.parseMetric(' Rolling( ROCAUC , 1000 ) ').name; // => Rolling(ROCAUC, 1000)
 * metrics.parseMetric('FBeta(beta=2)').toSpec(); // => { type: 'FBeta', beta: 2, posVal: true }
 */
export function parseMetric(text: string): Metric {
  const tokens = tokenize(text);
  if (tokens.length === 0) throw new MetricSpecError('a metric name is empty');
  return metricFromSpec(toSpec(new Reader(tokens, text).readAll(), text, ''));
}

const DEFAULTS: Readonly<Record<Task, readonly string[]>> = {
  binary: ['Accuracy', 'ROCAUC', 'LogLoss', 'F1'],
  multiclass: ['Accuracy', 'MacroF1'],
  regression: ['MAE', 'RMSE', 'R2'],
};

/** The metrics a new model of this task is scored with. */
export function defaultMetrics(task: Task): string[] {
  return [...DEFAULTS[task]];
}

/** Whether a metric can score a task; binary tasks may also use the multiclass metrics. */
export function metricSuits(metric: Metric | string, task: Task): boolean {
  const { tasks } = typeof metric === 'string' ? parseMetric(metric) : metric;
  return tasks.includes(task) || (task === 'binary' && tasks.includes('multiclass'));
}
