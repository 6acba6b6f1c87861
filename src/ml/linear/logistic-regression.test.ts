import { describe, expect, it } from 'vitest';
import { Pipeline } from '../compose/pipeline.js';
import { progressiveValScore } from '../evaluate/progressive-validation.js';
import { Accuracy } from '../metrics/accuracy.js';
import { Adam } from '../optim/adam.js';
import { SGD } from '../optim/sgd.js';
import { StandardScaler } from '../preprocessing/standard-scaler.js';
import { phishing } from '../../../test/support/datasets.js';
import { LogisticRegression } from './logistic-regression.js';
import { replayWithRestore } from './round-trip.test-util.js';

describe('LogisticRegression', () => {
  it('scores River’s docstring Accuracy: 88.96% with SGD(0.1) on Phishing behind a StandardScaler', () => {
    const metric = new Accuracy();
    const model = new Pipeline([new StandardScaler(), new LogisticRegression({ optimizer: new SGD({ lr: 0.1 }) })]);
    progressiveValScore(phishing(), model, [metric]);
    expect(metric.toString()).toBe('Accuracy: 88.96%');
    expect(metric.get()).toBe(0.8896);
  });

  it('restores a snapshot with Adam’s moments and continues to the same bytes', () => {
    // Features come and go, so Adam's vector step for absent features is exercised too.
    const stream = phishing().map(([x, y], i) => {
      const { [i % 3 === 0 ? 'age_of_domain' : 'ip_in_url']: _dropped, ...rest } = x;
      return [rest, y] as const;
    });
    const make = () => new Pipeline([new StandardScaler(), new LogisticRegression({ optimizer: new Adam() })]);
    const r = replayWithRestore(make, stream, 500);
    expect(r.resumed).toBe(r.straight);
    expect(r.resumedPredictions).toEqual(r.straightPredictions);
  });
});
