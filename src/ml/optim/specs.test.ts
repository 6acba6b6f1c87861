import { describe, expect, it } from 'vitest';
import { buildModel, normalizedSpec } from '../spec/model-spec.js';

describe('optimizer and loss specs', () => {
  it('build Adam, AdaGrad and RMSProp with River’s defaults filled in', () => {
    const model = buildModel({ type: 'LogisticRegression', optimizer: { type: 'Adam', beta2: 0.99 } });
    expect(normalizedSpec(model)).toMatchObject({
      optimizer: { type: 'Adam', lr: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8 },
    });
    for (const type of ['AdaGrad', 'RMSProp']) {
      expect(buildModel({ type: 'LinearRegression', optimizer: { type } }).final.toSpec().optimizer).toMatchObject({ type });
    }
  });

  it('report bad parameters with their path', () => {
    expect(() => buildModel({ type: 'LogisticRegression', optimizer: { type: 'Adam', beta1: 1 } })).toThrow(
      'optimizer.beta1 must be < 1',
    );
    expect(() => buildModel({ type: 'LogisticRegression', optimizer: { type: 'RMSProp', lr: 0 } })).toThrow(
      'optimizer.lr must be > 0',
    );
    expect(() => buildModel({ type: 'LogisticRegression', optimizer: { type: 'AdaGrad', beta1: 0.9 } })).toThrow(
      'optimizer.beta1 is not a parameter of AdaGrad',
    );
  });

  it('give the Hinge loss to a LogisticRegression and refuse CrossEntropy there', () => {
    const model = buildModel({ type: 'LogisticRegression', loss: { type: 'Hinge', threshold: 0.5 } });
    expect(model.final.toSpec().loss).toEqual({ type: 'Hinge', threshold: 0.5 });
    expect(() => buildModel({ type: 'LogisticRegression', loss: { type: 'CrossEntropy' } })).toThrow(/not a binary loss/);
    expect(() => buildModel({ type: 'LinearRegression', loss: { type: 'Hinge' } })).toThrow(/not a regression loss/);
  });
});
