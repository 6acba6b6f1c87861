import { z } from 'zod';
import type { CrossEntropy } from '../optim/cross-entropy.js';
import type { Loss } from '../optim/losses.js';
import type { Optimizer } from '../optim/optimizer.js';
import { num } from '../spec/checks.js';
import { defineStep } from '../spec/definition.js';
import { LinearRegression } from './linear-regression.js';
import { LogisticRegression } from './logistic-regression.js';
import { PAClassifier } from './pa-classifier.js';
import { PARegressor } from './pa-regressor.js';
import { Perceptron } from './perceptron.js';
import { SoftmaxRegression } from './softmax-regression.js';

const glmParams = z.strictObject({
  l2: num.nonNegative().optional(),
  l1: num.nonNegative().optional(),
  interceptInit: num.any().optional(),
  interceptLr: num.nonNegative().optional(),
  clipGradient: num.positive().optional(),
});

const glmNested = { optimizer: 'optimizer', loss: 'loss', initializer: 'initializer' } as const;

function glmOptions(p: z.infer<typeof glmParams>, nested: Readonly<Record<string, unknown>>) {
  if ((p.l1 ?? 0) !== 0 && (p.l2 ?? 0) !== 0) throw new RangeError('l1 and l2 cannot both be set');
  return { ...p, optimizer: nested.optimizer as Optimizer | undefined, loss: nested.loss as Loss | undefined };
}

const paMode = z.union([z.literal(0), z.literal(1), z.literal(2)], { error: 'must be 0, 1 or 2' });

const paParams = {
  C: num.positive().optional(),
  mode: paMode.optional(),
  learnIntercept: z.boolean({ error: 'must be a boolean' }).optional(),
};

export const linearSpecs = [
  defineStep({
    type: 'LogisticRegression',
    role: 'classifier',
    params: glmParams,
    nested: glmNested,
    build: (p, nested) => new LogisticRegression(glmOptions(p, nested)),
  }),
  defineStep({
    type: 'LinearRegression',
    role: 'regressor',
    params: glmParams,
    nested: glmNested,
    build: (p, nested) => new LinearRegression(glmOptions(p, nested)),
  }),
  defineStep({
    type: 'Perceptron',
    role: 'classifier',
    params: z.strictObject({ l2: num.nonNegative().optional(), clipGradient: num.positive().optional() }),
    nested: { initializer: 'initializer' },
    build: (p) => new Perceptron(p),
  }),
  defineStep({
    type: 'PAClassifier',
    role: 'classifier',
    params: z.strictObject(paParams),
    build: (p) => new PAClassifier(p),
  }),
  defineStep({
    type: 'PARegressor',
    role: 'regressor',
    params: z.strictObject({ ...paParams, eps: num.nonNegative().optional() }),
    build: (p) => new PARegressor(p),
  }),
  defineStep({
    type: 'SoftmaxRegression',
    role: 'classifier',
    params: z.strictObject({ l2: num.nonNegative().optional() }),
    nested: { optimizer: 'optimizer', loss: 'loss' },
    build: (p, nested) =>
      new SoftmaxRegression({
        ...p,
        optimizer: nested.optimizer as Optimizer | undefined,
        loss: nested.loss as CrossEntropy | undefined,
      }),
  }),
];
