import { z } from 'zod';
import type { Loss } from '../optim/losses.js';
import type { Optimizer } from '../optim/optimizer.js';
import { num } from '../spec/checks.js';
import { defineStep } from '../spec/definition.js';
import { LinearRegression } from './linear-regression.js';
import { LogisticRegression } from './logistic-regression.js';

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
];
