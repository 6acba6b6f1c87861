import type { StepDefinition } from '../spec/definition.js';

export const treeSpecs: StepDefinition[] = [];
