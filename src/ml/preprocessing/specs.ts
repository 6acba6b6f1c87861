import { z } from 'zod';
import { defineStep } from '../spec/definition.js';
import { MinMaxScaler } from './min-max-scaler.js';
import { OneHotEncoder } from './one-hot-encoder.js';
import { StandardScaler } from './standard-scaler.js';

const bool = () => z.boolean({ error: 'must be a boolean' });

const categories = z
  .record(z.string(), z.array(z.string({ error: 'must be a string' }), { error: 'must be an array of strings' }), {
    error: 'must be an object mapping each feature to its categories, or null',
  })
  .nullable();

export const preprocessingSpecs = [
  defineStep({
    type: 'StandardScaler',
    role: 'transformer',
    params: z.strictObject({ withStd: bool().optional() }),
    build: (p) => new StandardScaler(p),
  }),
  defineStep({
    type: 'MinMaxScaler',
    role: 'transformer',
    params: z.strictObject({}),
    build: () => new MinMaxScaler(),
  }),
  defineStep({
    type: 'OneHotEncoder',
    role: 'transformer',
    params: z.strictObject({
      categories: categories.optional(),
      dropZeros: bool().optional(),
      dropFirst: bool().optional(),
    }),
    build: (p) => new OneHotEncoder(p),
  }),
];
