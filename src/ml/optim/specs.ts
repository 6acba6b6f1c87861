import { z } from 'zod';
import { num } from '../spec/checks.js';
import { defineStep } from '../spec/definition.js';
import { Zeros } from './initializers.js';
import { Log, Squared } from './losses.js';
import { SGD } from './sgd.js';

export const optimSpecs = [
  defineStep({
    type: 'SGD',
    role: 'optimizer',
    params: z.strictObject({ lr: num.positive().optional() }),
    build: (p) => new SGD(p),
  }),
  defineStep({ type: 'Log', role: 'loss', params: z.strictObject({}), build: () => new Log() }),
  defineStep({ type: 'Squared', role: 'loss', params: z.strictObject({}), build: () => new Squared() }),
  defineStep({ type: 'Zeros', role: 'initializer', params: z.strictObject({}), build: () => new Zeros() }),
];
