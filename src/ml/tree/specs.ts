import { z } from 'zod';
import { num } from '../spec/checks.js';
import { defineStep, type StepDefinition } from '../spec/definition.js';
import { HoeffdingTreeClassifier } from './hoeffding-tree-classifier.js';

const unitInterval = (what: string) =>
  z.number({ error: 'must be a number' }).gte(0, { error: 'must be >= 0' }).lt(1, { error: `must be < 1 (${what})` });

const hoeffdingTreeClassifierParams = z.strictObject({
  gracePeriod: num.positive().optional(),
  maxDepth: num.intAtLeast(0).nullable().optional(),
  splitCriterion: z.enum(['info_gain', 'gini', 'hellinger'], { error: "must be 'info_gain', 'gini' or 'hellinger'" }).optional(),
  delta: num.probability().optional(),
  tau: num.nonNegative().optional(),
  leafPrediction: z.enum(['mc', 'nb', 'nba'], { error: "must be 'mc', 'nb' or 'nba'" }).optional(),
  nbThreshold: num.nonNegative().optional(),
  nominalAttributes: z.array(z.string({ error: 'must be feature names' })).nullable().optional(),
  splitter: z
    .strictObject({
      type: z.literal('GaussianSplitter', { error: "must be 'GaussianSplitter'" }),
      nSplits: num.positiveInt().optional(),
    })
    .optional(),
  binarySplit: z.boolean({ error: 'must be a boolean' }).optional(),
  minBranchFraction: unitInterval('a share of the weight').optional(),
  maxShareToSplit: num.positive().lte(1, { error: 'must be <= 1' }).optional(),
  meritPreprune: z.boolean({ error: 'must be a boolean' }).optional(),
  removePoorAttrs: z.boolean({ error: 'must be a boolean' }).optional(),
});

export const treeSpecs: StepDefinition[] = [
  defineStep({
    type: 'HoeffdingTreeClassifier',
    role: 'classifier',
    params: hoeffdingTreeClassifierParams,
    build: (p) => new HoeffdingTreeClassifier(p),
  }),
];
