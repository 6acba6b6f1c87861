import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../base/snapshot.js';
import { FBeta } from './fbeta.js';
import { MAE } from './mae.js';
import { defaultMetrics, knownMetrics, MetricSpecError, metricFromSpec, metricSuits, parseMetric, restoreMetric } from './parse.js';
import { ROCAUC } from './roc-auc.js';
import { Rolling } from './rolling.js';

function specError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MetricSpecError);
    return (error as Error).message;
  }
  throw new Error('expected a MetricSpecError');
}

describe('parseMetric', () => {
  it('builds ROCAUC and MAE from their bare names', () => {
    expect(parseMetric('ROCAUC')).toBeInstanceOf(ROCAUC);
    expect(parseMetric('MAE')).toBeInstanceOf(MAE);
  });

  it('builds Rolling(ROCAUC, 1000) whatever the whitespace, named as written', () => {
    for (const text of ['Rolling(ROCAUC, 1000)', '  Rolling ( ROCAUC ,1000 ) ', 'Rolling(ROCAUC,1000)']) {
      const m = parseMetric(text);
      expect(m).toBeInstanceOf(Rolling);
      expect(m.name).toBe('Rolling(ROCAUC, 1000)');
      expect(m.toSpec()).toEqual({ type: 'Rolling', metric: { type: 'ROCAUC', nThresholds: 10, posVal: true }, windowSize: 1000 });
    }
  });

  it('reads params by position or by name, in camelCase or River’s snake_case, and nests Rolling', () => {
    expect(parseMetric('Rolling(metric=MAE, window_size=5)').toSpec()).toEqual({ type: 'Rolling', metric: { type: 'MAE' }, windowSize: 5 });
    expect((parseMetric('FBeta(2)') as FBeta).beta).toBe(2);
    expect(parseMetric("FBeta(beta=0.5, posVal='yes')").toSpec()).toEqual({ type: 'FBeta', beta: 0.5, posVal: 'yes' });
    expect(parseMetric('ROCAUC(n_thresholds=20, pos_val=False)').toSpec()).toEqual({ type: 'ROCAUC', nThresholds: 20, posVal: false });
    expect(parseMetric('Rolling(Rolling(MAE, 10), 5)').name).toBe('Rolling(Rolling(MAE, 10), 5)');
  });

  it('rejects an unknown name, saying which and listing the known metrics', () => {
    const message = specError(() => parseMetric('ROCAUX'));
    expect(message).toContain('"ROCAUX" is not a known metric');
    expect(message).toContain(`Known metrics: ${knownMetrics.join(', ')}`);
    expect(specError(() => parseMetric('Rolling(Foo, 10)'))).toContain('Rolling.metric: "Foo" is not a known metric');
  });

  it('rejects bad windows, saying what is wrong', () => {
    expect(specError(() => parseMetric('Rolling(ROCAUC, 0)'))).toContain('Rolling.windowSize must be >= 1');
    expect(specError(() => parseMetric('Rolling(ROCAUC, 2.5)'))).toContain('Rolling.windowSize must be an integer');
    expect(specError(() => parseMetric('Rolling(ROCAUC, -3)'))).toContain('Rolling.windowSize must be >= 1');
    expect(specError(() => parseMetric('Rolling(ROCAUC)'))).toContain('Rolling.windowSize is required');
    expect(specError(() => parseMetric("Rolling(ROCAUC, '10')"))).toContain('Rolling.windowSize must be a number');
  });

  it('rejects malformed text, params a metric does not take and missing required params', () => {
    expect(specError(() => parseMetric('Rolling(ROCAUC, 10'))).toContain('expected "," but found the end');
    expect(specError(() => parseMetric('ROCAUC extra'))).toContain('expected the end but found "extra"');
    expect(specError(() => parseMetric('MAE(foo=1)'))).toContain('MAE.foo is not a parameter of MAE');
    expect(specError(() => parseMetric('MAE(1)'))).toContain('MAE takes no argument at position 1');
    expect(specError(() => parseMetric('FBeta'))).toContain('FBeta.beta is required');
    expect(specError(() => parseMetric('Rolling(5, 10)'))).toContain('expected a metric name');
    expect(specError(() => parseMetric('ROCAUC(n_thresholds=1)'))).toContain('ROCAUC.nThresholds must be >= 2');
    expect(specError(() => parseMetric('  '))).toContain('empty');
    expect(specError(() => parseMetric('MAE;'))).toContain('cannot read ";"');
  });
});

describe('metricFromSpec and restoreMetric', () => {
  it('builds every known metric from its own spec', () => {
    for (const type of knownMetrics) {
      const spec =
        type === 'Rolling' ? { type, metric: { type: 'MAE' }, windowSize: 3 } : type.includes('FBeta') ? { type, beta: 2 } : { type };
      const m = metricFromSpec(spec);
      expect(m.kind).toBe(type);
      expect(metricFromSpec(m.toSpec()).toSpec()).toEqual(m.toSpec());
    }
  });

  it('rejects specs without a type, with unknown params or with a non-metric inside Rolling', () => {
    expect(specError(() => metricFromSpec({ windowSize: 3 }))).toContain('must be an object with a string "type"');
    expect(specError(() => metricFromSpec({ type: 'MAE', window: 3 }))).toContain('MAE.window is not a parameter of MAE');
    expect(specError(() => metricFromSpec({ type: 'Rolling', metric: 'MAE', windowSize: 3 }))).toContain('Rolling.metric:');
  });

  it('rejects snapshots of another schema version or with a broken state', () => {
    expect(specError(() => restoreMetric({ kind: 'MAE', schemaVersion: SCHEMA_VERSION + 1, params: {}, state: null }))).toContain(
      'schemaVersion',
    );
    expect(specError(() => restoreMetric({ kind: 'MAE', schemaVersion: SCHEMA_VERSION, params: {}, state: 3 }))).toContain('MAE state');
  });
});

describe('defaultMetrics and metricSuits', () => {
  it('gives Accuracy, ROCAUC, LogLoss, F1 for binary; Accuracy, MacroF1 for multiclass; MAE, RMSE, R2 for regression', () => {
    expect(defaultMetrics('binary')).toEqual(['Accuracy', 'ROCAUC', 'LogLoss', 'F1']);
    expect(defaultMetrics('multiclass')).toEqual(['Accuracy', 'MacroF1']);
    expect(defaultMetrics('regression')).toEqual(['MAE', 'RMSE', 'R2']);
  });

  it('finds every default metric suits its task', () => {
    for (const task of ['binary', 'multiclass', 'regression'] as const) {
      for (const name of defaultMetrics(task)) expect(metricSuits(parseMetric(name), task)).toBe(true);
    }
  });

  it('lets binary tasks use multiclass metrics, but not the other way round, and keeps regression apart', () => {
    expect(metricSuits('MacroF1', 'binary')).toBe(true);
    expect(metricSuits('Accuracy', 'binary')).toBe(true);
    expect(metricSuits('ROCAUC', 'multiclass')).toBe(false);
    expect(metricSuits('F1', 'multiclass')).toBe(false);
    expect(metricSuits('MAE', 'binary')).toBe(false);
    expect(metricSuits('Accuracy', 'regression')).toBe(false);
    expect(metricSuits('Rolling(R2, 50)', 'regression')).toBe(true);
    expect(metricSuits('Rolling(LogLoss, 50)', 'binary')).toBe(true);
  });
});
