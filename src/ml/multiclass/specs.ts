import { z } from 'zod';
import { Classifier } from '../base/classifier.js';
import type { StepDefinition } from '../spec/definition.js';
import { defineStep } from '../spec/definition.js';
import { OneVsRestClassifier } from './one-vs-rest-classifier.js';

export const multiclassSpecs: StepDefinition[] = [
  defineStep({
    type: 'OneVsRestClassifier',
    role: 'classifier',
    params: z.strictObject({}),
    nested: { classifier: 'classifier' },
    build: (_p, nested) => {
      const classifier = nested.classifier;
      if (!(classifier instanceof Classifier)) throw new TypeError('classifier is required (a classifier spec)');
      return new OneVsRestClassifier({ classifier });
    },
  }),
];
