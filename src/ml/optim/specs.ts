import { z } from 'zod';
import { num } from '../spec/checks.js';
import { defineStep } from '../spec/definition.js';
import { AdaGrad } from './ada-grad.js';
import { Adam } from './adam.js';
import { CrossEntropy } from './cross-entropy.js';
import { Zeros } from './initializers.js';
import { Hinge, Log, Squared } from './losses.js';
import { RMSProp } from './rms-prop.js';
import { SGD } from './sgd.js';

/** A decay rate: 1 would divide by zero in the bias corrections, and a rate above 1 diverges. */
const decay = () => num.nonNegative().lt(1, { error: 'must be < 1' });

const label = z.union([z.boolean(), z.number(), z.string()], { error: 'must be a boolean, number or string' });

export const optimSpecs = [
  defineStep({
    type: 'SGD',
    role: 'optimizer',
    params: z.strictObject({ lr: num.positive().optional() }),
    build: (p) => new SGD(p),
  }),
  defineStep({
    type: 'Adam',
    role: 'optimizer',
    params: z.strictObject({
      lr: num.positive().optional(),
      beta1: decay().optional(),
      beta2: decay().optional(),
      eps: num.positive().optional(),
    }),
    build: (p) => new Adam(p),
  }),
  defineStep({
    type: 'AdaGrad',
    role: 'optimizer',
    params: z.strictObject({ lr: num.positive().optional(), eps: num.positive().optional() }),
    build: (p) => new AdaGrad(p),
  }),
  defineStep({
    type: 'RMSProp',
    role: 'optimizer',
    params: z.strictObject({
      lr: num.positive().optional(),
      rho: decay().optional(),
      eps: num.positive().optional(),
    }),
    build: (p) => new RMSProp(p),
  }),
  defineStep({ type: 'Log', role: 'loss', params: z.strictObject({}), build: () => new Log() }),
  defineStep({ type: 'Squared', role: 'loss', params: z.strictObject({}), build: () => new Squared() }),
  defineStep({
    type: 'Hinge',
    role: 'loss',
    params: z.strictObject({ threshold: num.any().optional() }),
    build: (p) => new Hinge(p),
  }),
  defineStep({
    type: 'CrossEntropy',
    role: 'loss',
    params: z.strictObject({
      classWeight: z.array(z.tuple([label, num.nonNegative()]), { error: 'must be [label, weight] pairs' }).optional(),
    }),
    build: (p) => new CrossEntropy(p),
  }),
  defineStep({ type: 'Zeros', role: 'initializer', params: z.strictObject({}), build: () => new Zeros() }),
];
