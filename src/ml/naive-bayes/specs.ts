import type { StepDefinition } from '../spec/definition.js';

export const naiveBayesSpecs: StepDefinition[] = [];
