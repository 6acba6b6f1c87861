import { z } from 'zod';
import { defineStep } from '../spec/definition.js';
import { GaussianNB } from './gaussian-nb.js';

export const naiveBayesSpecs = [
  defineStep({
    type: 'GaussianNB',
    role: 'classifier',
    params: z.strictObject({}),
    build: () => new GaussianNB(),
  }),
];
