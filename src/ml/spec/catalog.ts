import { linearSpecs } from '../linear/specs.js';
import { multiclassSpecs } from '../multiclass/specs.js';
import { naiveBayesSpecs } from '../naive-bayes/specs.js';
import { optimSpecs } from '../optim/specs.js';
import { preprocessingSpecs } from '../preprocessing/specs.js';
import { treeSpecs } from '../tree/specs.js';
import type { StepDefinition } from './definition.js';

/** Every step a model spec may name. A new estimator is registered by adding its folder's specs here. */
export const definitions: readonly StepDefinition[] = [
  ...preprocessingSpecs,
  ...optimSpecs,
  ...linearSpecs,
  ...multiclassSpecs,
  ...naiveBayesSpecs,
  ...treeSpecs,
];
