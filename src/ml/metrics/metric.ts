import type { Snapshotable } from '../base/snapshot.js';
import type { ClassLabel, Json, JsonObject, Probabilities, Task } from '../base/types.js';

/** What a metric is fed: a label (or number), or class probabilities when `requiresLabels` is false. */
export type MetricPrediction = ClassLabel | Probabilities;

/**
 * An online metric (River's `metrics.base.Metric`): `update` with one (truth, prediction) pair,
 * `revert` it (for rolling windows), `get` the current value. State is JSON-safe.
 */
export abstract class Metric implements Snapshotable {
  abstract readonly kind: string;
  /** False when the metric is fed class probabilities (ROCAUC, LogLoss). */
  abstract readonly requiresLabels: boolean;
  abstract readonly bigIsBetter: boolean;
  /** Which tasks it can score. */
  abstract readonly tasks: ReadonlyArray<Task>;
  /** Python format spec River prints the value with: `.2%`, `,.6f`, or `` (full repr). */
  protected readonly format: string = '.2%';

  /** Adds one pair with sample weight `w` (River's `w=1.0`). */
  abstract update(yTrue: ClassLabel, yPred: MetricPrediction, w?: number): void;
  /** Takes back a pair that `update` added (rolling windows call it with the oldest pair). */
  abstract revert(yTrue: ClassLabel, yPred: MetricPrediction, w?: number): void;
  abstract get(): number;

  abstract getState(): Json;
  abstract setState(state: Json): void;
  abstract clone(): Metric;

  /** Params left out of `name` while they hold these values (River's defaults). */
  protected readonly nameDefaults: Readonly<JsonObject> = {};

  /**
   * The metric as users write it, which `parseMetric` reads back: `ROCAUC`, `FBeta(beta=2)`,
   * `ROCAUC(nThresholds=20)`, `Rolling(MAE, 100)`. Params at their defaults are left out.
   */
  get name(): string {
    const { type: _type, ...params } = this.toSpec();
    const args = Object.entries(params)
      .filter(([key, value]) => this.nameDefaults[key] !== value)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? quote(value) : String(value)}`);
    return args.length === 0 ? this.kind : `${this.kind}(${args.join(', ')})`;
  }

  toSpec(): JsonObject {
    return { type: this.kind };
  }

  /**
   * River's repr: the class name and the value, `ROCAUC: 95.07%`, `MAE: 0.558735` (trailing
   * zeros stripped, as River does).
   */
  toString(): string {
    return `${this.kind}: ${formatPython(this.get(), this.format)}`.replace(/0+$/, '');
  }
}

function quote(text: string): string {
  return text.includes("'") ? `"${text}"` : `'${text}'`;
}

/**
 * The probability of `true` in a prediction, as River's binary metrics read it
 * (`y_pred.get(True, 0.0)`; Python's `True` also finds a key `1`).
 */
export function probabilityOfTrue(yPred: MetricPrediction): number {
  if (yPred instanceof Map) return yPred.get(true) ?? yPred.get(1) ?? 0;
  return typeof yPred === 'number' ? yPred : yPred === true ? 1 : 0;
}

/** Python's `==` on labels: `True == 1` and `False == 0`, as River's `y_true == pos_val` compares. */
export function pythonEquals(a: MetricPrediction, b: MetricPrediction): boolean {
  if (a === b) return true;
  const x = typeof a === 'boolean' ? Number(a) : a;
  const y = typeof b === 'boolean' ? Number(b) : b;
  return typeof x === 'number' && typeof y === 'number' && x === y;
}

/** Python's truthiness of a label (`if y_true:`): false, 0 and '' are false, everything else true. */
export function pythonTruthy(label: ClassLabel): boolean {
  if (typeof label === 'boolean') return label;
  if (typeof label === 'number') return label !== 0;
  return label.length > 0;
}

/** A regression target or prediction as a float; Python would reject anything else. */
export function asFloat(value: MetricPrediction, what: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return Number(value);
  throw new TypeError(`${what} needs numbers, got ${value instanceof Map ? 'class probabilities' : JSON.stringify(value)}`);
}

/**
 * Rounds `value` to `digits` decimals half-to-even on its exact binary value, as Python's
 * format does (JavaScript's toFixed rounds exact ties up).
 */
function toFixedPython(value: number, digits: number): string {
  const rounded = value.toFixed(digits);
  const exact = value.toFixed(100);
  const cut = exact.indexOf('.') + 1 + digits;
  if (!/^50*$/.test(exact.slice(cut))) return rounded;
  // An exact tie: toFixed went away from zero; Python keeps the even digit.
  const truncated = exact.slice(0, digits === 0 ? cut - 1 : cut);
  const last = Number(truncated[truncated.length - 1]);
  return last % 2 === 0 ? truncated : rounded;
}

function withThousands(fixed: string): string {
  const [int, frac] = fixed.split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = sign ? int.slice(1) : int;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}

/** The subset of Python's format mini-language River's metrics use. */
export function formatPython(value: number, format: string): string {
  if (format === '.2%') return `${toFixedPython(value * 100, 2)}%`;
  if (format === ',.6f') return withThousands(toFixedPython(value, 6));
  return pythonRepr(value);
}

/** Python's float repr: shortest round-trip digits, exponent form outside [1e-4, 1e16). */
export function pythonRepr(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return value.toFixed(1);
  const abs = Math.abs(value);
  if (abs >= 1e-4 && abs < 1e16) return String(value);
  const [mantissa, exponent] = value.toExponential().split('e');
  const e = Number(exponent);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}
