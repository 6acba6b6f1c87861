import { z } from 'zod';
import { defineStep } from '../spec/definition.js';
import { StandardScaler } from './standard-scaler.js';

export const preprocessingSpecs = [
  defineStep({
    type: 'StandardScaler',
    role: 'transformer',
    params: z.strictObject({ withStd: z.boolean({ error: 'must be a boolean' }).optional() }),
    build: (p) => new StandardScaler(p),
  }),
];
